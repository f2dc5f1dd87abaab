"""The directory's seeded taxonomy terms (directory migration 0002), marked for the
catalogues. In やさしい日本語 a term's label is `pgettext("taxonomy term", name)`
(directory.models.Term.label), so its easy text lives in locale/ja_Easy with every other
easy text. A term the secretariat adds later shows its own name in easy mode until its
name is added here and an easy text to the catalogue. Names already in kana
(こども, ひきこもり) read as they are and are left out.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

CONTEXT = "taxonomy term"

# Lazy, never shown from here: the marks only bring the names into the catalogues.
TERMS = [
    # Kinds of resource
    pgettext_lazy("taxonomy term", "居場所"),
    pgettext_lazy("taxonomy term", "イベント"),
    pgettext_lazy("taxonomy term", "仕事・就労体験"),
    pgettext_lazy("taxonomy term", "文化・芸術"),
    pgettext_lazy("taxonomy term", "スポーツ・運動"),
    pgettext_lazy("taxonomy term", "生涯学習"),
    pgettext_lazy("taxonomy term", "オンラインのつながり"),
    pgettext_lazy("taxonomy term", "食の支援"),
    pgettext_lazy("taxonomy term", "住まいの支援"),
    pgettext_lazy("taxonomy term", "学習支援"),
    pgettext_lazy("taxonomy term", "相談窓口"),
    # Who a resource is for
    pgettext_lazy("taxonomy term", "若者"),
    pgettext_lazy("taxonomy term", "子育て世帯"),
    pgettext_lazy("taxonomy term", "高齢者"),
    pgettext_lazy("taxonomy term", "障害のある人"),
    pgettext_lazy("taxonomy term", "外国籍住民"),
    pgettext_lazy("taxonomy term", "生活困窮"),
    pgettext_lazy("taxonomy term", "ケアラー・介護者"),
    pgettext_lazy("taxonomy term", "ひとり暮らし"),
    pgettext_lazy("taxonomy term", "女性"),
    pgettext_lazy("taxonomy term", "性的マイノリティ"),
    # What a consultation window helps with
    pgettext_lazy("taxonomy term", "生活の困りごと"),
    pgettext_lazy("taxonomy term", "子育て"),
    pgettext_lazy("taxonomy term", "DV・性暴力"),
    pgettext_lazy("taxonomy term", "外国語で相談"),
    pgettext_lazy("taxonomy term", "仕事"),
    pgettext_lazy("taxonomy term", "こども・若者"),
    pgettext_lazy("taxonomy term", "高齢・介護"),
    pgettext_lazy("taxonomy term", "障害"),
    # Accessibility
    pgettext_lazy("taxonomy term", "車いすで利用できる"),
    pgettext_lazy("taxonomy term", "多目的トイレ"),
    pgettext_lazy("taxonomy term", "筆談で対応できる"),
    pgettext_lazy("taxonomy term", "手話で対応できる"),
    pgettext_lazy("taxonomy term", "駐車場あり"),
    pgettext_lazy("taxonomy term", "託児あり"),
    pgettext_lazy("taxonomy term", "静かに過ごせる場所"),
]
