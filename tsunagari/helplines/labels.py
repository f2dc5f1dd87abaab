"""Words for the codes of the national lines' CSV (languages, who a line is for).

The CSV writes languages as ISO 639-1 codes and target groups as short English codes;
the pages show them in the visitor's wording. A code outside these tables is a bad row
for the loader, so that a typo never shows up on a public page as a bare code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# code: (Japanese label through gettext, やさしい日本語)
LANGUAGES: dict[str, tuple[str | Promise, str]] = {
    "ja": (pgettext_lazy("language name", "日本語"), "にほんご"),
    "en": (_("英語"), "えいご"),
    "zh": (_("中国語"), "ちゅうごくご"),
    "ko": (_("韓国語"), "かんこくご"),
    "tl": (_("タガログ語"), "タガログご"),
    "pt": (_("ポルトガル語"), "ポルトガルご"),
    "es": (_("スペイン語"), "スペインご"),
    "th": (_("タイ語"), "タイご"),
    "vi": (_("ベトナム語"), "ベトナムご"),
    "ne": (_("ネパール語"), "ネパールご"),
    "id": (_("インドネシア語"), "インドネシアご"),
}

TARGETS: dict[str, tuple[str | Promise, str]] = {
    "everyone": (_("どなたでも"), "だれでも"),
    "suicide": (_("死にたい気持ち"), "しにたい きもち"),
    "poverty": (_("生活の困りごと"), "くらしの こまりごと"),
    "dv": (_("DV・暴力"), "DV・ぼうりょく"),
    "women": (_("女性"), "じょせい"),
    "lgbtq": (_("LGBTQ"), "LGBTQ"),
    "foreign_residents": (_("外国にルーツのある人"), "がいこくから きた ひと"),
    "children": (_("子ども"), "こども"),
    "youth": (_("若者"), "わかもの"),
}


def label(table: dict[str, tuple[str | Promise, str]], code: str, *, easy: bool) -> str:
    words = table.get(code)
    if words is None:
        return code
    return words[1] if easy else str(words[0])
