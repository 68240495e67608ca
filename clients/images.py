"""Client photos: decoded, checked and re-encoded on upload, so that what is stored is only pixels.

Decoding proves the file is an image (a JPEG/HTML polyglot keeps its picture and loses the rest; a
truncated file is refused); the pixel count is checked from the header before anything is decoded (a
138-byte PNG can declare 20,000 x 20,000 pixels); the picture is turned by its EXIF orientation,
shrunk to what a profile shows, and saved without metadata (no GPS position, no camera serial).
"""

import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}
LONGEST_SIDE = 1024


class PhotoRefused(ValueError):
    pass


def reencoded_photo(uploaded) -> ContentFile:
    """A new JPEG (or PNG when the picture has transparency) made from the uploaded image's pixels."""
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            if image.format not in ACCEPTED:
                raise PhotoRefused(_("The photo must be a JPEG, PNG, WebP or GIF image."))
            if image.width * image.height > settings.PHOTO_MAX_PIXELS:
                raise PhotoRefused(
                    _("The photo is too large (%(w)s × %(h)s pixels): use a smaller picture.")
                    % {"w": image.width, "h": image.height}
                )
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            picture = ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, for a header past twice its limit
        raise PhotoRefused(_("The photo is too large: use a smaller picture.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRefused(
            _("This photo cannot be read (damaged or not an image). Nothing was changed.")
        ) from None
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    transparent = picture.mode in ("RGBA", "LA") or "transparency" in picture.info
    out = io.BytesIO()
    if transparent:
        picture.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
