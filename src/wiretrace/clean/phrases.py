"""Page-noise phrases of the languages of the data beyond English, one table per rule.

English has expressions of its own in ``patterns`` (they weigh grammar: who speaks, an
imperative, an attribution). Here each rule gets phrases that only a page's furniture says,
as sites in German, Spanish, French, Italian, Polish, Turkish, Russian, Arabic and Chinese
write them, lower case. A phrase matches in any document, whatever its language, so the
phrases are several words or one a body does not use alone on its line (a heading, a button).
"""

from __future__ import annotations

import re

# Headings of link blocks, alone on their line (optionally followed by ":" or "»"), and the
# inline form "Lesen Sie auch: <title>".
RELATED = {
    "de": (
        "lesen sie auch",
        "lesen sie mehr",
        "mehr zum thema",
        "auch interessant",
        "das könnte sie auch interessieren",
        "weitere artikel",
        "meistgelesen",
        "weitere nachrichten",
        "mehr dazu",
    ),
    "es": (
        "lee también",
        "lea también",
        "leer más",
        "te puede interesar",
        "le puede interesar",
        "también te puede interesar",
        "noticias relacionadas",
        "más noticias",
        "lo más leído",
        "te recomendamos",
    ),
    "fr": (
        "lire aussi",
        "à lire aussi",
        "lire la suite",
        "voir aussi",
        "sur le même sujet",
        "articles similaires",
        "les plus lus",
        "à voir aussi",
        "à lire également",
    ),
    "it": (
        "leggi anche",
        "leggi di più",
        "potrebbe interessarti anche",
        "articoli correlati",
        "notizie correlate",
        "i più letti",
        "vedi anche",
        "ti potrebbe interessare",
    ),
    "pl": (
        "czytaj także",
        "czytaj też",
        "czytaj również",
        "czytaj więcej",
        "zobacz także",
        "zobacz też",
        "zobacz również",
        "najczęściej czytane",
        "powiązane artykuły",
        "polecamy",
    ),
    "tr": (
        "ayrıca okuyun",
        "ilgili haberler",
        "ilginizi çekebilir",
        "devamını oku",
        "haberin devamı",
        "çok okunanlar",
        "benzer haberler",
        "ilgili haber",
    ),
    "ru": (
        "читайте также",
        "смотрите также",
        "читать далее",
        "по теме",
        "похожие новости",
        "самое читаемое",
        "читайте нас",
        "еще по теме",
    ),
    "ar": (
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "إقرأ أيضا",
        "إقرأ أيضاً",
        "اقرأ المزيد",
        "أخبار ذات صلة",
        "مواضيع ذات صلة",
        "الأكثر قراءة",
        "شاهد أيضا",
    ),
    "zh": (
        "相关新闻",
        "相关阅读",
        "延伸阅读",
        "推荐阅读",
        "热门文章",
        "阅读更多",
        "更多新闻",
        "相关文章",
        "猜你喜欢",
    ),
}
# What a cookie or consent notice says (the notice needs one of these and two of the words
# below in one line, as in English).
CONSENT = {
    "de": (
        "wir verwenden cookies",
        "wir nutzen cookies",
        "diese website verwendet cookies",
        "diese webseite verwendet cookies",
        "cookie-einstellungen",
        "alle akzeptieren",
        "ihre einwilligung",
    ),
    "es": (
        "utilizamos cookies",
        "usamos cookies",
        "este sitio web utiliza cookies",
        "política de cookies",
        "aceptar todas",
        "configurar cookies",
        "su consentimiento",
    ),
    "fr": (
        "nous utilisons des cookies",
        "ce site utilise des cookies",
        "politique de cookies",
        "tout accepter",
        "paramètres des cookies",
        "votre consentement",
    ),
    "it": (
        "utilizziamo i cookie",
        "usiamo i cookie",
        "questo sito utilizza cookie",
        "questo sito utilizza i cookie",
        "cookie policy",
        "accetta tutti",
        "il tuo consenso",
    ),
    "pl": (
        "używamy plików cookie",
        "ta strona używa plików cookie",
        "ustawienia cookie",
        "akceptuję wszystkie",
        "polityka prywatności",
        "twoją zgodę",
    ),
    "tr": (
        "çerez kullanıyoruz",
        "çerezler kullanıyoruz",
        "çerez kullanılmaktadır",
        "çerezler kullanılmaktadır",
        "çerez politikası",
        "tümünü kabul et",
        "çerezleri kabul",
        "çerez ayarları",
    ),
    "ru": (
        "мы используем файлы cookie",
        "мы используем cookie",
        "сайт использует файлы cookie",
        "использование файлов cookie",
        "политика конфиденциальности",
        "принять все",
    ),
    "ar": (
        "نستخدم ملفات تعريف الارتباط",
        "يستخدم هذا الموقع ملفات تعريف الارتباط",
        "سياسة ملفات تعريف الارتباط",
        "سياسة الخصوصية",
        "قبول الكل",
    ),
    "zh": ("我们使用cookie", "本网站使用cookie", "cookie政策", "接受所有", "隐私政策"),
}
CONSENT_WORDS = {
    "de": (
        "datenschutz",
        "einwilligung",
        "zustimmung",
        "drittanbieter",
        "partner",
        "personenbezogene daten",
        "tracking",
        "einstellungen",
    ),
    "es": (
        "privacidad",
        "consentimiento",
        "terceros",
        "socios",
        "datos personales",
        "preferencias",
        "configuración",
    ),
    "fr": (
        "confidentialité",
        "consentement",
        "tiers",
        "partenaires",
        "données personnelles",
        "préférences",
        "paramètres",
    ),
    "it": ("privacy", "consenso", "terze parti", "partner", "dati personali", "preferenze"),
    "pl": ("prywatności", "zgod", "partnerzy", "dane osobowe", "zaufani partnerzy", "ustawienia"),
    "tr": ("çerez", "gizlilik", "onay", "üçüncü taraf", "kişisel veri", "tercihler"),
    "ru": (
        "cookie",
        "конфиденциальност",
        "согласи",
        "третьих лиц",
        "персональных данных",
        "партнер",
        "настройки",
    ),
    "ar": (
        "ملفات تعريف الارتباط",
        "الخصوصية",
        "موافقتك",
        "أطراف ثالثة",
        "البيانات الشخصية",
        "شركاء",
        "إعدادات",
    ),
    "zh": ("cookie", "隐私", "同意", "第三方", "个人信息", "合作伙伴", "设置"),
}
# Buttons of a consent notice, alone on their line.
CONSENT_BUTTONS = {
    "de": (
        "akzeptieren",
        "alle akzeptieren",
        "alle cookies akzeptieren",
        "cookies akzeptieren",
        "ablehnen",
        "alle ablehnen",
        "zustimmen",
        "einstellungen",
        "einverstanden",
        "mehr erfahren",
        "einstellungen verwalten",
        "einstellungen anpassen",
        "nur notwendige cookies",
    ),
    "es": (
        "aceptar",
        "aceptar todo",
        "aceptar todas",
        "rechazar",
        "rechazar todo",
        "configurar",
        "más información",
        "de acuerdo",
        "gestionar cookies",
        "gestionar preferencias",
        "configuración de cookies",
    ),
    "fr": (
        "accepter",
        "tout accepter",
        "refuser",
        "tout refuser",
        "paramétrer",
        "en savoir plus",
        "j'accepte",
        "gérer les préférences",
        "personnaliser",
        "paramètres",
    ),
    "it": (
        "accetta",
        "accetta tutti",
        "rifiuta",
        "rifiuta tutti",
        "personalizza",
        "ulteriori informazioni",
        "accetto",
        "gestisci preferenze",
        "impostazioni",
    ),
    "pl": (
        "akceptuję",
        "akceptuj",
        "akceptuj wszystkie",
        "odrzuć",
        "zgadzam się",
        "ustawienia",
        "zarządzaj ustawieniami",
        "zarządzaj",
    ),
    "tr": (
        "kabul et",
        "kabul ediyorum",
        "tümünü kabul et",
        "reddet",
        "ayarlar",
        "ayarları yönet",
        "tercihleri yönet",
    ),
    "ru": (
        "принять",
        "принять все",
        "отклонить",
        "согласен",
        "настройки",
        "подробнее",
        "настроить",
        "управлять настройками",
    ),
    "ar": ("موافق", "قبول", "قبول الكل", "رفض", "إعدادات", "إدارة الإعدادات", "إدارة التفضيلات"),
    "zh": ("接受", "全部接受", "同意", "拒绝", "设置", "管理设置", "偏好设置"),
}
# Prompts to subscribe or sign in that only the site's own voice says.
SUBSCRIBE = {
    "de": (
        "jetzt abonnieren",
        "newsletter abonnieren",
        "zum newsletter anmelden",
        "für den newsletter anmelden",
        "bereits abonnent",
        "abo abschließen",
        "melden sie sich an",
        "nur für abonnenten",
        "für abonnenten verfügbar",
    ),
    "es": (
        "suscríbete",
        "suscríbase",
        "suscribirse al boletín",
        "ya eres suscriptor",
        "regístrate gratis",
        "inicia sesión para",
        "exclusivo para suscriptores",
    ),
    "fr": (
        "abonnez-vous",
        "inscrivez-vous à notre newsletter",
        "déjà abonné",
        "s'abonner à la newsletter",
        "connectez-vous pour",
        "réservé aux abonnés",
        "réservée aux abonnés",
        "de cet article à lire",
    ),
    "it": (
        "abbonati ora",
        "abbonati a",
        "iscriviti alla newsletter",
        "sei già abbonato",
        "accedi per continuare",
        "riservato agli abbonati",
    ),
    "pl": (
        "zapisz się do newslettera",
        "zaprenumeruj",
        "zaloguj się, aby",
        "wykup subskrypcję",
    ),
    "tr": ("abone ol", "bültenimize abone", "e-bültene abone", "üye girişi yap", "abone olun"),
    "ru": (
        "подпишитесь на",
        "подписывайтесь на наш",
        "оформите подписку",
        "подписаться на рассылку",
    ),
    "ar": ("اشترك في النشرة", "اشترك الآن", "اشترك في القائمة البريدية", "سجل الدخول"),
    "zh": ("订阅我们的", "立即订阅", "免费订阅", "感谢您订阅", "订阅成功", "无法订阅"),
}
# Stems that tell a line may hold such a prompt (cheap substring tests before the rule).
SUBSCRIBE_HINTS = (
    "abonn",
    "suscr",
    "iscriv",
    "abbona",
    "prenumer",
    "abone",
    "подпи",
    "abo ",
    "melden sie",
    "regístr",
    "inscrivez",
    "zapisz się",
    "subskrypc",
    "girişi",
    "اشترك",
    "订阅",
    "anmelden",
    "zaloguj",
    "connectez",
    "inicia sesión",
    "accedi",
    "سجل الدخول",
    "article à lire",
)
CONSENT_HINTS = ("çerez", "куки", "ملفات تعريف الارتباط", "كوكيز", "einwilligung")  # + English
# Words of a share widget's line.
SHARE = {
    "de": ("teilen", "drucken", "kommentare", "kommentieren", "versenden"),
    "es": ("compartir", "imprimir", "comentarios", "enviar"),
    "fr": ("partager", "imprimer", "commentaires", "envoyer"),
    "it": ("condividi", "stampa", "commenti", "invia"),
    "pl": ("udostępnij", "drukuj", "komentarze", "wyślij"),
    "tr": ("paylaş", "yazdır", "yorumlar", "gönder"),
    "ru": ("поделиться", "печать", "комментарии", "отправить"),
    # with the networks' names as Arabic pages write them
    "ar": ("شارك", "مشاركة", "طباعة", "تعليقات", "أرسل", "فيسبوك", "تويتر", "واتساب", "تيليجرام"),
    "zh": ("分享", "打印", "评论", "转发", "收藏"),
}
# What a share widget says before its buttons ("Artikel teilen: Facebook | Twitter"): the
# widget's heading, then share words alone. English's are in ``patterns.SHARE_LINE``.
SHARE_HEADINGS = {
    "de": ("artikel teilen", "beitrag teilen", "diesen artikel teilen", "teilen auf", "teilen mit"),
    "es": (
        "comparte esta noticia",
        "compartir esta noticia",
        "comparte este artículo",
        "compartir este artículo",
        "compartir en",
        "comparte en",
    ),
    "fr": ("partager cet article", "partager l'article", "partager sur", "partagez cet article"),
    "it": ("condividi questo articolo", "condividi l'articolo", "condividi su"),
    "pl": ("udostępnij artykuł", "udostępnij ten artykuł", "udostępnij na"),
    "tr": ("bu haberi paylaş", "haberi paylaş", "paylaş:"),
    "ru": ("поделиться статьей", "поделиться статьёй", "поделиться новостью", "поделиться в"),
    "ar": ("شارك هذا المقال", "شارك هذا الخبر", "شارك الخبر", "شارك على"),
    "zh": ("分享到", "分享本文", "分享这篇文章"),
}
# A line that only marks an advertisement slot ("Advertisement", "Story continues below
# advertisement"): page furniture whatever the page, in the languages of the data.
ADVERTISEMENT = {
    "en": (
        "advertisement",
        "advertisements",
        "advert",
        "story continues below advertisement",
        "article continues below advertisement",
        "advertisement - scroll to continue",
        "scroll to continue with content",
    ),
    "de": ("anzeige", "werbung"),
    "es": ("publicidad", "anuncio"),
    "fr": ("publicité",),
    "it": ("pubblicità",),
    "pl": ("reklama",),
    "tr": ("reklam",),
    "ru": ("реклама",),
    "ar": ("إعلان",),
    "zh": ("广告",),
}
# Trailers: copyright lines and "follow us", at the end of a page.
TRAILER = {
    "de": ("alle rechte vorbehalten", "folgen sie uns auf", "dieser artikel erschien zuerst"),
    "es": (
        "todos los derechos reservados",
        "síguenos en",
        "este artículo fue publicado",
        "prohibida su reproducción",
    ),
    "fr": (
        "tous droits réservés",
        "suivez-nous sur",
        "cet article a été publié",
        "reproduction interdite",
    ),
    "it": ("tutti i diritti riservati", "seguici su", "riproduzione riservata"),
    "pl": ("wszelkie prawa zastrzeżone", "obserwuj nas na", "śledź nas na"),
    "tr": ("tüm hakları saklıdır", "bizi takip edin", "izinsiz kullanılamaz"),
    "ru": (
        "все права защищены",
        "подписывайтесь на нас в",
        "перепечатка запрещена",
        "при полном или частичном использовании",
        "при использовании материалов",
    ),
    "ar": ("جميع الحقوق محفوظة", "تابعونا على", "حقوق النشر محفوظة"),
    "zh": (
        "版权所有",
        "版权声明",
        "未经授权",
        "未经许可",
        "不得转载",
        "关注我们",
        "责任编辑",
        "【责任编辑",
        "（来源：",
        "来源：",
    ),
}


def alternation(table: dict[str, tuple[str, ...]]) -> str:
    """The phrases of every language of ``table`` as one regular-expression alternation,
    longest first, spaces matching any white space."""
    phrases = sorted({phrase for found in table.values() for phrase in found}, key=len)
    return "|".join(_pattern(phrase) for phrase in reversed(phrases))


def _pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


# The headings and share words as sets: a line is looked up, not matched against a hundred
# alternatives (every short line of every document is tested).
_RELATED = frozenset(phrase for found in RELATED.values() for phrase in found)
_SHARE = frozenset(word for found in SHARE.values() for word in found) | {
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "pinterest",
    "reddit",
    "messenger",
    "telegram",
    "x",
    "e-mail",
    "email",
    "tweet",
    "vk",
    "微信",
    "微博",
    "qq",
    "qq空间",
    "qzone",
}
_RELATED_FIRST = frozenset(phrase.split()[0] for phrase in _RELATED)
_MARKS = re.compile(r"[\s\-–—:|·•*_=]+")  # what may stand around and between a marker's words
_ADVERTISEMENT = frozenset(
    _MARKS.sub(" ", phrase).strip() for found in ADVERTISEMENT.values() for phrase in found
)
_ADVERTISEMENT_CHARS = 60  # the longest marker, with room for its marks
_SHARE_CHARS = 200  # a share widget's line is short
_HEADING_MARKS = re.compile(r"\s*[:|»>]\s*")
_SHARE_SEPARATORS = re.compile(r"[\s|,/·•:：、]+")
# longest first: "compartir esta noticia" before "compartir"
_SHARE_HEADINGS = tuple(
    sorted({h for found in SHARE_HEADINGS.values() for h in found}, key=len, reverse=True)
)
_SHARE_FIRST = _SHARE | frozenset(heading.split()[0].strip(":") for heading in _SHARE_HEADINGS)


def _lower(line: str) -> str:
    """``line`` in lower case as the tables write their phrases: a Turkish dotted capital I
    is "i" ("İlgili Haberler", whose lower case is "i" and a combining dot), a full-width
    colon is ":" ("相关新闻：")."""
    return line.lower().replace("i\u0307", "i").replace("：", ":")


def related_heading(line: str) -> bool:
    """Whether ``line`` is a link block's heading in one of the languages of :data:`RELATED`
    (with ":", "»" or ">" after it), or such a heading, ":" and a headline on one line."""
    first = _lower(line.split(None, 1)[0]).rstrip(":»>|") if line else ""
    if first not in _RELATED_FIRST:  # most lines: one set lookup
        return False
    lowered = " ".join(_lower(line).split())
    if lowered.rstrip(":»> ") in _RELATED:
        return True
    parts = _HEADING_MARKS.split(lowered, maxsplit=1)
    return len(parts) == 2 and parts[0] in _RELATED and parts[1] != ""


def share_line(line: str) -> bool:
    """Whether ``line`` holds only the words of a share widget (:data:`SHARE`)."""
    if len(line) > _SHARE_CHARS:
        return False
    lowered = _lower(line)
    if _SHARE_SEPARATORS.split(lowered.lstrip("|,/·•:： "), 1)[0] not in _SHARE_FIRST:
        return False  # most lines: one set lookup
    heading = next((h for h in _SHARE_HEADINGS if lowered.startswith(h)), "")
    words = [word for word in _SHARE_SEPARATORS.split(lowered[len(heading) :]) if word]
    return (bool(words) or bool(heading)) and all(word in _SHARE for word in words)


def advertisement_line(line: str) -> bool:
    """Whether ``line`` only marks an advertisement slot (:data:`ADVERTISEMENT`), in any case,
    with or without the dashes and stars around it ("- ADVERTISEMENT -")."""
    if len(line) > _ADVERTISEMENT_CHARS:
        return False
    return _MARKS.sub(" ", _lower(line)).strip() in _ADVERTISEMENT
