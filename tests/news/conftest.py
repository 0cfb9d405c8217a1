from tests.content_fixtures import (  # noqa: F401 - fixtures for this folder
    SEARCH_BACKENDS,
    _content_settings,
    _demo_content,
    _media_in_tmp,
    _module_media,
    demo,
    get,
)
