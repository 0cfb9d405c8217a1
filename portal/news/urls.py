from django.urls import path

from . import feeds, podcast, views

app_name = "news"
urlpatterns = [
    path("tin-tuc/rss.xml", feeds.news_rss, name="news_rss"),
    path("tin-tuc/atom.xml", feeds.news_atom, name="news_atom"),
    path("tin-tuc/phat-thanh.xml", podcast.bulletins_rss, name="bulletins_rss"),
    path("van-ban/rss.xml", feeds.directives_rss, name="directives_rss"),
    path("van-ban/atom.xml", feeds.directives_atom, name="directives_atom"),
    path("lich-cong-tac/", views.schedule, name="schedule"),
    path("lich-cong-tac/<int:year>/tuan-<int:week>/", views.schedule, name="schedule_week"),
    path("lich-cong-tac/lich.ics", views.schedule_ical, name="schedule_ical"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
