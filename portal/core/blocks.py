"""Blocks shared by every app's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class HotlineBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=120)
    number = blocks.CharBlock(label=_("phone number"), max_length=30)

    class Meta:
        icon = "mail"
        label = _("Hotline")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"), choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "components/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "components/blocks/captioned_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "components/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("info", _("Information")), ("warning", _("Warning")), ("danger", _("Urgent"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Call-out")
        template = "components/blocks/callout.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "components/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    """The body of an article-like page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), icon="pilcrow")
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
    table = blocks.StructBlock(
        [
            ("caption", blocks.CharBlock(label=_("caption"), required=False)),
            (
                "table",
                TableBlock(label=_("table")),
            ),
        ],
        label=_("Table"),
        icon="table",
        template="components/blocks/table.html",
    )
