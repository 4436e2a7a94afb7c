"""The API's JSON renderer: DRF's output, byte for byte, written by orjson
where that is known to give the same bytes.

DRF renders with `json.dumps` (compact, `ensure_ascii` off) and then escapes
U+2028 and U+2029. orjson writes strings, integers of 64 bits, booleans, null,
lists and dicts exactly as that does, several times faster, but not floats
(`1e-05` against `0.00001`) nor anything DRF's encoder turns into JSON
(dates, decimals, lazy text). So it renders only answers whose data a view
declares to be made of those types (`JSONNativeResponse`, e.g. ticket rows
with their times already written as text), and only without `indent`;
everything else goes through DRF's renderer as before.
"""

import orjson
from rest_framework import renderers
from rest_framework.response import Response

LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class JSONNativeResponse(Response):
    """A response whose data holds only str, int (64-bit), bool, None, and
    lists and dicts of them, so that the renderer may use orjson."""


def render_native(data) -> bytes:
    """What DRF's JSONRenderer gives for JSON-native data, without indent."""
    content = orjson.dumps(data)
    for raw, escaped in LINE_SEPARATORS:
        if raw in content:
            content = content.replace(raw, escaped)
    return content


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if (
            renderer_context is not None
            and isinstance(renderer_context.get("response"), JSONNativeResponse)
            and self.get_indent(accepted_media_type, renderer_context) is None
        ):
            return self.render_native(data)
        return super().render(data, accepted_media_type, renderer_context)

    def render_native(self, data) -> bytes:
        """`render(data)` for JSON-native data (see JSONNativeResponse)."""
        if data is None or not self.compact or self.ensure_ascii:
            return super().render(data)
        return render_native(data)
