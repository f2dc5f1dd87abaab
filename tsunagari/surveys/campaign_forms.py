"""Forms of survey campaigns: a member's own item, a campaign and the public answer form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tsunagari.core.forms import JapaneseCharField, japanese_formfield
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.surveys import campaigns
from tsunagari.surveys.campaigns import STANDARD_ORDER, Question, no_answer_value
from tsunagari.surveys.items import UCLA_CODES, Wording
from tsunagari.surveys.models import Campaign, CampaignItem, CampaignResponse, Item
from tsunagari.surveys.services import normalize_code

OPTION_COUNTS = {Item.Kind.LIKERT: (3, 7), Item.Kind.CHOICE: (2, 10)}
MAX_LABEL = 100
CODE_MIN, CODE_MAX = 4, 30


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


class ItemForm(forms.Form):
    """A member's own item: a Likert scale (3–7 points) or a choice (2–10 options)."""

    kind = forms.ChoiceField(
        label=_("種類"),
        choices=[
            (Item.Kind.LIKERT, _("段階評価（3〜7段階。例：とても満足〜まったく満足していない）")),
            (Item.Kind.CHOICE, _("選択肢（2〜10個。順序のない選択肢）")),
        ],
        widget=forms.RadioSelect,
        initial=Item.Kind.LIKERT,
        error_messages={"required": _("種類を選んでください。")},
    )
    text = JapaneseCharField(
        label=_("質問文"),
        max_length=300,
        help_text=_("例：今日の活動に参加して、人とのつながりを感じましたか。"),
        error_messages={
            "required": _("質問文を入力してください。"),
            "max_length": _("300文字以内で入力してください。"),
        },
    )
    text_en = JapaneseCharField(label=_("質問文（英語・任意）"), max_length=300, required=False)
    labels = JapaneseCharField(
        label=_("選択肢（1行に1つ）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "段階評価は、数字の小さい順（1から）に上から書いてください。段階評価は3〜7行、"
            "選択肢は2〜10行です。"
        ),
        error_messages={"required": _("選択肢を1行に1つずつ入力してください。")},
    )
    labels_en = JapaneseCharField(
        label=_("選択肢（英語・任意、1行に1つ）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("書く場合は、上の選択肢と同じ数・同じ順にしてください。"),
    )
    higher_is_better = forms.BooleanField(
        label=_("数字が大きいほど良い（段階評価のとき）"),
        required=False,
        initial=True,
        help_text=_("事前・事後の比較で、どちらの向きを「改善」と数えるかに使います。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        labels = _lines(data.get("labels", ""))
        if kind in OPTION_COUNTS and "labels" not in self.errors:
            low, high = OPTION_COUNTS[kind]
            if not low <= len(labels) <= high:
                self.add_error(
                    "labels",
                    _("選択肢は%(low)d〜%(high)d行で入力してください（今は%(n)d行です）。")
                    % {"low": low, "high": high, "n": len(labels)},
                )
            elif len(set(labels)) != len(labels):
                self.add_error("labels", _("同じ選択肢が2回あります。"))
            elif any(len(label) > MAX_LABEL for label in labels):
                self.add_error(
                    "labels", _("選択肢は1つ%(n)d文字以内にしてください。") % {"n": MAX_LABEL}
                )
        labels_en = _lines(data.get("labels_en", ""))
        if labels_en and len(labels_en) != len(labels):
            self.add_error("labels_en", _("英語の選択肢は、日本語と同じ数にしてください。"))
            labels_en = []
        data["options"] = [
            {"value": i, "label": label, "label_en": labels_en[i - 1] if labels_en else ""}
            for i, label in enumerate(labels, 1)
        ]
        return data

    def save(self, organization_id: int | None) -> Item:
        data = self.cleaned_data
        return Item.objects.create(
            kind=data["kind"],
            text=data["text"],
            text_en=data["text_en"],
            options=data["options"],
            higher_is_better=bool(data["higher_is_better"]) or data["kind"] == Item.Kind.CHOICE,
            organization_id=organization_id,
        )


class BankItemsField(forms.ModelMultipleChoiceField):
    """Standard items are labelled with their text from items.py (translated), not the row."""

    def label_from_instance(self, obj: Any) -> str:
        return campaigns.question(obj, Wording.JA).text


# The national survey's loneliness questions (the three UCLA items and the direct one):
# a campaign asking exactly these can be compared with the national figures.
NATIONAL_SET = (*UCLA_CODES, "direct")
PRESETS = {"national": NATIONAL_SET}
PRESET_FIELD = "preset"


class CampaignForm(forms.ModelForm):
    """A campaign and its items from the bank, in the order given (standard items first
    where no order is given). Once answers exist, the items and the before/after setting
    stay as they are, so every response answered the same questionnaire.

    A new campaign starts with no item ticked; the button 「国の調査と同じ設問（4問）」
    (`preset=national`) ticks the national set, keeping everything else typed."""

    items = BankItemsField(
        label=_("質問項目"),
        queryset=Item.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("質問項目を1つ以上選んでください。")},
    )

    class Meta:
        model = Campaign
        formfield_callback = japanese_formfield
        fields = ["title", "description", "before_after", "is_open"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("例：令和7年度 ふれあいサロン参加者アンケート"),
            "description": _("回答する人に、調査の目的や使い方を伝えてください。"),
        }
        error_messages = {"title": {"required": _("調査名を入力してください。")}}

    def __init__(self, *args: Any, bank: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bank = bank
        field = self.fields["items"]
        field.queryset = Item.objects.filter(pk__in=[item.pk for item in bank])  # type: ignore[attr-defined]
        positions: dict[int, int] = {}
        if self.instance.pk:
            entries = self.instance.entries.all()
            positions = {entry.item_id: entry.position for entry in entries}
            self.initial.setdefault("items", list(positions))
        for item in bank:
            self.fields[f"order_{item.pk}"] = forms.IntegerField(
                label=_("順番"),
                required=False,
                min_value=1,
                max_value=99,
                initial=positions.get(item.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "order"}),
                error_messages={
                    "invalid": _("順番は数字で入力してください。"),
                    "min_value": _("順番は1〜99で入力してください。"),
                    "max_value": _("順番は1〜99で入力してください。"),
                },
            )
        self.locked = bool(self.instance.pk and self.instance.responses.exists())
        if self.locked:
            for name in ["items", "before_after", *(f"order_{item.pk}" for item in bank)]:
                self.fields[name].disabled = True

    @classmethod
    def with_preset(
        cls, data: Any, preset: str, *, instance: Campaign, bank: list[Item]
    ) -> CampaignForm:
        """The form as typed so far, with the preset's items ticked instead of those
        chosen, not yet saved and without errors (the organiser has not sent it)."""
        codes = PRESETS[preset]
        typed = cls(data, instance=instance, bank=bank)
        initial: dict[str, Any] = {
            name: typed[name].value() for name in typed.fields if name != "items"
        }
        initial["items"] = [item.pk for item in bank if item.code in codes]
        form = cls(instance=instance, bank=bank, initial=initial)
        form.preset_applied = preset
        return form

    preset_applied = ""

    def rows(self) -> list[tuple[Item, Any, forms.BoundField]]:
        """Each bank item with its checkbox and its order field, for the table."""
        checkboxes = {int(str(w.data["value"])): w for w in self["items"]}
        return [(item, checkboxes.get(item.pk), self[f"order_{item.pk}"]) for item in self.bank]

    def ordered_items(self) -> list[Item]:
        chosen = list(self.cleaned_data.get("items") or [])

        def key(item: Item) -> tuple[int, int, int]:
            order = self.cleaned_data.get(f"order_{item.pk}")
            standard = STANDARD_ORDER.get(item.code or "", len(STANDARD_ORDER))
            return (order if order is not None else 1000, standard, item.pk)

        return sorted(chosen, key=key)

    def items_posted_anew(self) -> bool:
        """Whether a locked form was sent with other items ticked: the page was opened
        before the first answer, and the change of items is not kept."""
        data = self.data
        raw = data.getlist("items") if hasattr(data, "getlist") else data.get("items") or []
        posted = {str(pk) for pk in raw}
        current = {str(pk) for pk in self.instance.entries.values_list("item_id", flat=True)}
        return self.locked and bool(posted) and posted != current

    @transaction.atomic
    def save(self, commit: bool = True) -> Campaign:
        """Raises AlreadyChanged when the first answer arrived while the organiser was
        editing a campaign whose items were still open to change: they are not rewritten."""
        if self.instance.pk:
            # The same lock as record_response's, so an answer and this edit take turns.
            Campaign.objects.select_for_update().filter(pk=self.instance.pk).first()
            if not self.locked and self.instance.responses.exists():
                raise AlreadyChanged(
                    str(
                        _(
                            "この調査にはたった今、最初の回答が届きました。"
                            "設問は変更できなくなったため、保存しませんでした。"
                        )
                    )
                )
        campaign = super().save(commit=True)
        if not self.locked:
            campaign.entries.all().delete()
            CampaignItem.objects.bulk_create(
                CampaignItem(campaign=campaign, item=item, position=i)
                for i, item in enumerate(self.ordered_items(), 1)
            )
        return campaign


PHASE_CHOICES = [
    (CampaignResponse.Phase.BEFORE, _("最初（事前）")),
    (CampaignResponse.Phase.AFTER, _("後日（事後）")),
]


class AnswerForm(HumanCheckForm, forms.Form):
    """The public answer form: one radio group per item, and for a before/after campaign
    the phase and the participant's own code. Nothing about the person is asked."""

    def __init__(self, *args: Any, questions: list[Question], before_after: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.before_after = before_after
        for question in questions:
            optional = question.optional
            self.fields[question.field_name] = forms.TypedChoiceField(
                label=question.text,
                choices=[(str(v), label) for v, label in question.options],
                coerce=int,
                widget=forms.RadioSelect,
                required=not optional,
                help_text=_("答えたくないときは、選ばなくてもかまいません。") if optional else "",
                error_messages={"required": _("どれか1つを選んでください。")},
            )
        if before_after:
            self.fields["phase"] = forms.ChoiceField(
                label=_("いつの回答ですか"),
                choices=PHASE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("「最初（事前）」か「後日（事後）」を選んでください。")
                },
            )
            self.fields["code"] = forms.CharField(
                label=_("あなたが決める合言葉"),
                max_length=60,
                help_text=_(
                    "最初と後日の回答を組み合わせるために使います。4〜30文字の、"
                    "あなたが覚えやすい言葉にしてください（例：あおいうみ7）。"
                    "誕生日や名前・電話番号は使わないでください。"
                    "後日も同じ合言葉を入力します。"
                ),
                error_messages={"required": _("合言葉を入力してください。")},
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
                ),
            )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data.get("code") or "")
        if not CODE_MIN <= len(code) <= CODE_MAX:
            raise forms.ValidationError(
                _("合言葉は%(low)d〜%(high)d文字にしてください。")
                % {"low": CODE_MIN, "high": CODE_MAX},
                code="length",
            )
        return code

    def answers(self) -> dict[int, int]:
        """Item pk → value; a blank optional item is stored as its 無回答 value."""
        answers: dict[int, int] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if value in (None, ""):
                value = no_answer_value(question.item)
            if value is not None:
                answers[question.item.pk] = int(value)
        return answers

    def code_taken(self) -> None:
        self.add_error(
            "code",
            _(
                "この合言葉は使えません。ほかの合言葉にして、もう一度「送信する」を押してください。"
                "回答はそのまま残っています。"
            ),
        )
