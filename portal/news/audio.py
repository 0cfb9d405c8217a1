"""Which audio files a bulletin may carry: those every browser plays (the page's player, podcast
apps, smart loudspeakers), checked by reading the file itself, not trusting its name."""

from django.utils.translation import gettext as _

# mutagen's file types a browser's <audio> plays, and how they are named to an editor.
PLAYABLE = {
    "MP3": "MP3",
    "MP4": "M4A (AAC)",
    "OggVorbis": "OGG (Vorbis)",
    "OggOpus": "OGG (Opus)",
    "WAVE": "WAV",
    "FLAC": "FLAC",
}


def playable_problem(fileobj) -> str | None:
    """None when the file is audio a browser plays; otherwise why not, in the editor's words."""
    import mutagen

    names = ", ".join(PLAYABLE.values())
    try:
        fileobj.seek(0)
        audio = mutagen.File(fileobj)
    except (OSError, mutagen.MutagenError, ValueError):
        audio = None
    finally:
        try:
            fileobj.seek(0)
        except (OSError, ValueError):
            pass
    if audio is None or audio.info is None:
        return _("This file is not an audio recording a browser can play. Use %(types)s.") % {
            "types": names
        }
    kind = type(audio).__name__
    if kind not in PLAYABLE:
        return _("%(kind)s audio does not play in browsers. Convert it to %(types)s.") % {
            "kind": kind,
            "types": names,
        }
    if kind == "MP4" and not str(getattr(audio.info, "codec", "")).startswith("mp4a"):
        return _("This M4A file is not AAC audio and does not play in every browser.")
    if not getattr(audio.info, "length", 0):
        return _("This audio file is empty.")
    return None


def document_problem(document) -> str | None:
    """``playable_problem`` for a stored document (a news item's audio bulletin)."""
    try:
        with document.file.open("rb") as f:
            return playable_problem(f)
    except (OSError, ValueError):
        return _("The audio file cannot be read.")
