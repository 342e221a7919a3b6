"""Text in other scripts: normalisation, words and copies (Arabic, Turkish, Chinese, ...)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from wiretrace import ScanConfig, scan
from wiretrace.clean import clean_text
from wiretrace.clean.boilerplate import find_boilerplate
from wiretrace.records import Relation
from wiretrace.sketch.minhash import words_and_shingles

COPY_SCAN = ScanConfig(semantic=False, stories=False)

# hand-written: a flood report, and a football report that shares one short phrase with it
FLOOD = (
    "本报讯 连日来的强降雨导致河口县多个乡镇发生洪涝灾害，截至昨日下午，已有三千余名群众被紧急"
    "转移到安全地带。县应急管理局表示，目前救援工作仍在进行中，受灾群众的基本生活得到保障。"
    "气象部门预计，未来三天当地仍将有中到大雨，防汛形势依然严峻，请市民注意出行安全。"
)
FOOTBALL = (
    "在昨晚结束的联赛第十二轮比赛中，主队凭借下半场的两个进球以二比一战胜客队，继续领跑积分榜。"
    "赛后主教练表示，球队的防守仍有改进空间。由于大雨，比赛推迟了半个小时开始，请市民注意出行安全。"
)
NEWS = (
    "新华社消息 国务院常务会议今天召开，会议研究部署了进一步稳定就业的政策措施，要求各地抓好落实。"
)


def _words(text: str) -> list[str]:
    clean = clean_text(text)
    words = words_and_shingles(clean, 1)
    return [
        text[clean.starts[a] : clean.ends[b - 1]]
        for a, b in zip(words.starts, words.ends, strict=True)
    ]


def test_arabic_marks_tatweel_and_letter_forms_are_folded() -> None:
    marked = "قالَ أحمدُ إنّ المدرسةَ ـــ كبيرةٌ جداً"
    plain = "قال احمد ان المدرسه كبيره جدا"
    assert clean_text(marked).text == clean_text(plain).text
    # each word maps back to the whole written word, its marks included
    assert _words(marked) == ["قالَ", "أحمدُ", "إنّ", "المدرسةَ", "كبيرةٌ", "جداً"]


def test_turkish_dotted_and_dotless_i_match_in_every_case() -> None:
    upper, lower = "İSTANBUL'DA IŞIKLAR YANDI", "istanbul'da ışıklar yandı"
    assert clean_text(upper).text == clean_text(lower).text == "istanbul'da işiklar yandi"
    assert _words(upper) == ["İSTANBUL", "DA", "IŞIKLAR", "YANDI"]


def test_russian_yo_and_greek_accents_are_folded() -> None:
    assert clean_text("Ёлка и ёж").text == clean_text("Елка и еж").text
    assert clean_text("ΑΘΗΝΑ Αθήνα").text == "αθηνα αθηνα"


def test_each_chinese_and_japanese_character_is_a_word() -> None:
    assert _words("北京12月3日电iPhone手机") == [
        "北",
        "京",
        "12",
        "月",
        "3",
        "日",
        "电",
        "iPhone",
        "手",
        "机",
    ]
    assert _words("東京タワーへ") == ["東", "京", "タ", "ワ", "ー", "へ"]
    clean = clean_text("你好。再见！")
    assert clean.text == "你好.再见!"  # sentence marks as the ASCII ones


def _scan(tmp_path: Path, records: list[dict[str, str]]) -> dict[tuple[str, str], object]:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    result = scan([path], COPY_SCAN)
    return {(match.a, match.b): match for match in result.matches}


def test_a_lifted_chinese_paragraph_is_found_with_its_offsets(tmp_path: Path) -> None:
    lifted = FLOOD[FLOOD.index("县应急") : FLOOD.index("气象")]
    host = NEWS + lifted + "会议强调，要加强对重点群体的就业帮扶。"
    found = _scan(tmp_path, [{"id": "flood", "text": FLOOD}, {"id": "host", "text": host}])
    match = found[("flood", "host")]
    assert match.relation is Relation.PARTIAL  # type: ignore[attr-defined]
    (passage,) = match.passages  # type: ignore[attr-defined]
    words = lifted.rstrip("。")  # a passage runs from its first word to its last
    assert FLOOD[passage.a_start : passage.a_end] == words
    assert host[passage.b_start : passage.b_end] == words


def test_a_chinese_copy_with_page_noise_is_an_exact_copy(tmp_path: Path) -> None:
    # the breadcrumb ("首页 > 新闻 > 社会") and the editor's line are the page's: blanked
    page = "首页 > 新闻 > 社会\n" + FLOOD + "\n责任编辑：王明"
    found = _scan(tmp_path, [{"id": "a", "text": FLOOD}, {"id": "b", "text": page}])
    assert found[("a", "b")].relation == Relation.EXACT  # type: ignore[attr-defined]


def test_a_chinese_copyright_statement_is_a_trailer() -> None:
    body = "广东省气象台今天发布台风黄色预警，预计台风将于明晚在湛江一带沿海登陆。"
    notice = "版权声明：本文版权归南方快报所有，未经许可不得转载。"
    assert _kinds(f"{body}\n\n{notice}") == [("trailer", notice)]


def test_a_short_common_chinese_phrase_is_no_passage(tmp_path: Path) -> None:
    # "请市民注意出行安全" (nine characters, about five words) ends both reports
    found = _scan(tmp_path, [{"id": "flood", "text": FLOOD}, {"id": "football", "text": FOOTBALL}])
    assert ("flood", "football") not in found


def test_each_document_has_its_language_and_a_record_s_own_wins(tmp_path: Path) -> None:
    german = (
        "Die Feuerwehr wurde am Dienstagabend zu einem Brand in der Altstadt gerufen. Nach "
        "Angaben der Polizei wurde niemand verletzt, der Schaden ist jedoch erheblich."
    )
    records = [
        {"id": "zh", "text": FLOOD},
        {"id": "ar", "text": "قالت وزارة الصحة إن عدد المصابين ارتفع إلى خمسين شخصا في المدينة."},
        {"id": "de", "text": german},
        {"id": "own", "text": german, "language": "de-AT"},
        {"id": "odd", "text": german, "language": "German!"},
        {"id": "digits", "text": "12 34 56 78"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    result = scan([path], COPY_SCAN)
    found = dict(zip(result.documents.id, result.documents.language, strict=True))
    assert found == {"zh": "zh", "ar": "ar", "de": "de", "own": "de", "odd": "de", "digits": None}
    assert result.summary["counts"]["documents_by_language"] == {
        "de": 3,
        "ar": 1,
        "unknown": 1,
        "zh": 1,
    }
    (invalid,) = result.summary["invalid_fields"]
    assert invalid["field"] == "language" and "German!" in invalid["value"]

    told_none = scan([path], replace(COPY_SCAN, languages=False))
    found = dict(zip(told_none.documents.id, told_none.documents.language, strict=True))
    assert found == {"zh": None, "ar": None, "de": None, "own": "de", "odd": None, "digits": None}
    assert told_none.summary["counts"]["documents_by_language"] is None


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start : span.end]) for span in find_boilerplate(text)]


def test_a_german_consent_notice_and_its_buttons_are_boilerplate() -> None:
    notice = (
        "Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren. Mit "
        "Ihrer Einwilligung verarbeiten wir und unsere Partner Daten, Details in unserer "
        "Datenschutzerklärung."
    )
    body = "Die Feuerwehr wurde am Dienstagabend zu einem Brand in der Altstadt gerufen."
    text = f"{body}\n{notice}\nAlle akzeptieren\nAblehnen\nDer Schaden ist erheblich."
    assert _kinds(text) == [
        ("consent", notice),
        ("consent", "Alle akzeptieren"),
        ("consent", "Ablehnen"),
    ]
    # the buttons on one line, as a new user's page had them
    text = f"{body}\n{notice}\nAlle akzeptieren | Einstellungen verwalten\nDer Schaden ist groß."
    assert _kinds(text) == [
        ("consent", notice),
        ("consent", "Alle akzeptieren | Einstellungen verwalten"),
    ]


def test_a_spanish_read_also_block_and_prompt_are_boilerplate() -> None:
    body = (
        "El incendio comenzó a las cinco de la tarde en una nave industrial de las afueras.\n"
        "No hubo heridos, según informó el ayuntamiento en un comunicado."
    )
    text = (
        f"{body}\nLee también:\nUn incendio arrasa 200 hectáreas en Valencia\n"
        "Detenido un hombre por robar cobre en Alicante\n\n"
        "Suscríbete a nuestro boletín y recibe las noticias cada mañana."
    )
    assert _kinds(text) == [
        ("related", "Lee también:"),
        ("related", "Un incendio arrasa 200 hectáreas en Valencia"),
        ("related", "Detenido un hombre por robar cobre en Alicante"),
        ("subscription", "Suscríbete a nuestro boletín y recibe las noticias cada mañana."),
    ]


@pytest.mark.parametrize(
    "widget",
    [
        "Comparte esta noticia: Facebook | Twitter | WhatsApp",
        "Artikel teilen: Facebook | Twitter | E-Mail",
        "Partager cet article : Facebook | Twitter | E-mail",
        "分享到：微信 微博",
        "分享到：微信 微博 QQ空间",
    ],
)
def test_a_share_widget_with_its_heading_is_boilerplate(widget: str) -> None:
    # the share words alone were known ("Compartir", "Teilen"), not a widget that opens
    # with "share this story" in its language: it stayed in the text, and "twitter" became
    # one of the article's names (the languages' phrases are looked for in a page with
    # letters beyond ASCII: "ö")
    body = "Die Feuerwehr löschte am Dienstagabend einen Brand in der Altstadt."
    assert _kinds(f"{body}\n{widget}\n{body}") == [("share", widget)]
    # a sentence that opens as a heading does is the article's
    sentence = "Compartir en la red es una costumbre que crece, dijo el ministro."
    assert _kinds(f"{body}\n{sentence}\n{body}") == []


@pytest.mark.parametrize(
    "line, kind",
    [
        ("© 2026 L'Écho de l'Est. Tous droits réservés. Reproduction interdite.", "trailer"),
        ("© 2026 Stuttgarter Abendblatt GmbH & Co. KG", "trailer"),  # "Co." ends nothing
        ("Cet article est réservé aux abonnés. Abonnez-vous pour lire la suite.", "subscription"),
        (
            "Il vous reste 75% de cet article à lire. La suite est réservée aux abonnés.",
            "subscription",
        ),
        ("Dieser Artikel ist nur für Abonnenten verfügbar.", "subscription"),
        ("Jetzt unseren Newsletter abonnieren!", "subscription"),  # whole, its lead-in too
    ],
)
def test_french_and_german_paywalls_and_trailers_are_boilerplate(line: str, kind: str) -> None:
    body = "Die Feuerwehr löschte am Dienstagabend einen Brand in der Altstadt von Ulm."
    assert _kinds(f"{body}\n\n{line}") == [(kind, line)]


@pytest.mark.parametrize(
    "first, last",
    [
        (
            "Главная / Новости / Город",
            "© 2026 Москва Онлайн. Все права защищены. При полном "
            "или частичном использовании материалов ссылка обязательна.",
        ),
        ("当前位置：首页 > 新闻 > 北京", "【责任编辑：张华】"),
        (
            "Sitemizde çerezler kullanılmaktadır. Detaylı bilgi için Çerez Politikamızı "
            "inceleyebilirsiniz. Kabul Et",
            "شارك هذا الخبر",
        ),
    ],
)
def test_breadcrumbs_copyright_lines_and_notices_of_other_languages_are_boilerplate(
    first: str, last: str
) -> None:
    # a newsroom's pages in Russian, Chinese, Turkish and Arabic: each line stayed in the text
    # (a breadcrumb between slashes or after "当前位置：", a copyright line that goes on to
    # "ссылка обязательна", a notice that "çerezler kullanılmaktadır", an Arabic share line)
    body = "Yangın salı akşamı eski şehirde bir depoda başladı ve itfaiye saatlerce çalıştı."
    more = "Hasar büyük, ancak yaralanan olmadı; polis soruşturma başlattı."
    found = _kinds(f"{first}\n{body}\n{more}\n{last}")
    assert [line for _, line in found] == [first, last]
    # a date between slashes is no breadcrumb
    assert _kinds(f"14 / 07 / 2026\n{body}") == []


@pytest.mark.parametrize("heading", ["İlgili Haberler:", "İLGİLİ HABERLER", "相关新闻："])
def test_a_read_also_heading_in_capitals_or_with_a_wide_colon_is_boilerplate(
    heading: str,
) -> None:
    # a Turkish dotted capital I ("İ", lower case "i" and a combining dot) and a full-width
    # colon hid the heading and split a copy's passage in two
    body = "Yangın salı akşamı eski şehirde bir depoda başladı ve itfaiye saatlerce çalıştı."
    related = "Ankara'da yeni metro hattı açıldı"
    found = _kinds(f"{body}\n{heading}\n{related}\n\n{body}")
    assert found[0] == ("related", heading)


def test_an_article_that_reports_on_subscriptions_keeps_its_sentences() -> None:
    # the phrases are a widget's: a long sentence of the article around one is not a prompt
    text = (
        "Der Verlag meldete am Montag, dass sich im vergangenen Jahr mehr als 20.000 Leser "
        "entschieden hätten, ein Abo abzuschließen, nachdem die Zeitung den Aufruf "
        "„Jetzt abonnieren“ auf allen Seiten gezeigt hatte, wie ein Sprecher bestätigte."
    )
    assert _kinds(text) == []


def test_the_report_marks_the_one_chinese_character_that_changed() -> None:
    from wiretrace.write.report import word_changes

    first, second = "国务院常务会议今天召开", "国务院常务会议昨天召开"
    assert word_changes(first, second) == ([(7, 8)], [(7, 8)])


def test_english_with_curly_quotes_and_dashes_is_told_without_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Quotes, dashes and spaces beyond ASCII are no letters: a sample whose letters are
    ASCII and that holds the English words is English without asking the model; a letter
    beyond ASCII still asks it."""
    from wiretrace.clean import language

    asked: list[str] = []

    class Model:
        def detect(self, sample: str, **_: object) -> list[dict[str, object]]:
            asked.append(sample)
            return [{"lang": "fr", "score": 0.9}]

    monkeypatch.setattr(language, "_detector", Model)
    text = "The mayor’s office said — after the vote — that “the bridge” would close, and that they"
    assert language.detect_language(text) == "en"
    assert asked == []
    assert language.detect_language(text.replace("mayor", "maire é")) == "fr"
    assert len(asked) == 1


def test_a_name_in_a_script_without_capitals_is_a_word_news_at_large_does_not_write() -> None:
    """Arabic has no capitals to show a name by: its words that the language's list of news
    at large does not know are names, as a run of capitals is in a Latin text; words the
    list knows are not, and a lower-case word of a script with capitals is no name."""
    from wiretrace.sketch.background import lone_entity_hash
    from wiretrace.sketch.topics import key_names, topic_terms

    arabic = topic_terms("قال الرئيس زيلينسكي إن المحادثات مستمرة في المدينة", "ar")
    assert lone_entity_hash("زيلينسكي") in arabic.entities.tolist()
    assert lone_entity_hash("المدينة") not in arabic.entities.tolist()
    german = topic_terms("der schnurzelwurz wurde gestern gefunden", "de")
    assert lone_entity_hash("schnurzelwurz") not in german.entities.tolist()
    assert list(arabic.entities) == sorted(set(arabic.entities.tolist()))
    # letters with their marks (Devanagari's vowel signs, Arabic's shadda) are letters
    hindi = topic_terms("प्रधानमंत्री ने ज़ेलेंस्की से कहा", "hi")
    assert lone_entity_hash("ज़ेलेंस्की") in hindi.entities.tolist()
    marked = topic_terms("قال الرئيس زيلينسكّي إن المحادثات مستمرة", "ar")
    assert lone_entity_hash("زيلينسكّي") in marked.entities.tolist()
    # and a story names it as it names a run of capitals
    text = "قال الرئيس زيلينسكي إن المحادثات مستمرة في المدينة"
    key = lone_entity_hash("زيلينسكي")
    assert key_names(text, [], [key], "ar")[1] == {key: "زيلينسكي"}


def test_a_record_s_language_is_a_code_of_the_registry() -> None:
    """Three-letter and old codes name their language as its two-letter code does; a tag
    that names no language ("zz", "xx_INVALID!", "und", private use) is none."""
    from wiretrace.clean.language import language_code

    assert [language_code(v) for v in ("de", "DE-at", "deu", "ger", " pt-BR ")] == [
        "de",
        "de",
        "de",
        "de",
        "pt",
    ]
    assert language_code("iw") == "he" and language_code("fil") == "fil"
    assert [language_code(v) for v in ("zz", "xx_INVALID!", "und", "qaa", "german", "")] == [
        None
    ] * 6
