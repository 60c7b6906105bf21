from . import EVERYONE, Page, allow

PAGES = [
    Page("core:dashboard", allow(EVERYONE)),
    Page(
        "core:set_language",
        allow(EVERYONE, ok=302, anonymous=302),
        method="post",
        data={"language": "en", "next": "/"},
        public=True,
    ),
]
