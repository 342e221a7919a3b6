"""The story model's pieces: stop words and news at large, the pair features, the shipped
model (issue 25)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wiretrace.group.evidence import FEATURES, EventEvidence, headline_words, pair_features
from wiretrace.group.story_model import (
    MODEL_FILE,
    CorpusPrior,
    StoryModel,
    band_spread,
    read_model,
    story_model,
    time_bands,
)
from wiretrace.sketch import background
from wiretrace.sketch.background import (
    document_share,
    lone_entity_hash,
    stop_words_set,
    word_hash,
)
from wiretrace.sketch.topics import topic_terms, topic_vectors


def _weight_of(word: str, texts: list[str], owner: int = 0) -> float:
    vectors = topic_vectors([topic_terms(text) for text in texts])
    start, end = vectors.term_offsets[owner], vectors.term_offsets[owner + 1]
    keys = vectors.terms[start:end].tolist()
    return float(vectors.weights[start:end][keys.index(word_hash(word))])


def test_stop_words_are_no_words_and_no_names() -> None:
    found = topic_terms("The Rovers beat City on Tuesday with two goals into the top corner.")
    stop = {word_hash(word) for word in stop_words_set()}
    assert not stop & set(found.terms.tolist())
    assert {"points", "four", "top", "two", "with", "into"} <= stop_words_set()
    # "Rovers" is a name; "Tuesday", a day, is a date and not a name
    assert {"rovers", "city"} <= set(found.event.names)
    assert "tuesday" not in found.event.names
    assert lone_entity_hash("tuesday") not in found.entities.tolist()
    assert len(found.entities) == 2


def test_a_small_corpus_weighs_words_as_news_at_large_does() -> None:
    # two unrelated reports: in a corpus this small both words are held by one document,
    # so the corpus alone would weigh them alike; news at large knows "beat" is common
    texts = [
        "The visitors beat the hosts at Westfalenstadion, Dortmund said.",
        "The council met on budget plans for the library.",
    ]
    assert _weight_of("dortmund", texts) > 1.3 * _weight_of("beat", texts)
    shares = document_share(np.array([word_hash("beat"), word_hash("qqzzxx")], dtype=np.uint64))
    assert shares[0] > 0.01 and shares[1] < 1e-3


def test_a_big_corpus_weighs_common_words_by_itself() -> None:
    # a word in a quarter of 2,000 documents: news at large's 200 articles barely move it;
    # in a corpus of 20 they outweigh the corpus
    big = background.idf(np.array([500]), 2000, np.array([0.05]))[0]
    assert abs(big - np.log(2001 / 501)) < 0.1 * np.log(2001 / 501)
    small = background.idf(np.array([1]), 20, np.array([0.05]))[0]
    assert abs(small - np.log(221 / 12)) < 1e-5


def test_the_background_table_is_remade_from_wordfreq(tmp_path: Path) -> None:
    pytest.importorskip("wordfreq")
    made = tmp_path / "background_en.npz"
    background.make_table(made)
    with np.load(made) as fresh, np.load(Path(background.__file__).with_name(made.name)) as shipped:
        for name in ("hashes", "entity_hashes", "document_share"):
            assert np.array_equal(fresh[name], shipped[name]), name


def test_headline_words_leave_stop_words_out() -> None:
    assert headline_words("Two killed in shooting at Dayton bar") == [
        "killed",
        "shooting",
        "dayton",
        "bar",
    ]
    assert headline_words(None) == []


def _features(counts: list[list[tuple[str, int]]], places: list[list[str]]) -> dict[str, float]:
    texts = ["Police said the men were shot.", "Police said the men were shot."]
    topics = topic_vectors([topic_terms(text) for text in texts])
    days = np.array([100.0, 130.0])
    event = EventEvidence.of([[], []], places, days, counts)
    row = pair_features(topics, event, None, np.array([False]), np.array([[0, 1]]))[0]
    return dict(zip(FEATURES, row.tolist(), strict=True))


def test_counts_that_agree_and_that_conflict() -> None:
    same = _features([[("killed", 3), ("age", 16)], [("killed", 3), ("age", 16)]], [[], []])
    assert same["agree"] == 2 and same["conflict"] == 0
    other = _features([[("killed", 3), ("age", 16)], [("killed", 5), ("age", 42)]], [[], []])
    assert other["agree"] == 0 and other["conflict"] == 2
    assert other["gap"] == pytest.approx(np.log1p(30)) and other["undated"] == 0


def _title_overlap(first: str, second: str) -> float:
    titles = [headline_words(first), headline_words(second), *[[]] * 8]
    texts = ["Police said the men were shot."] * len(titles)
    topics = topic_vectors([topic_terms(text) for text in texts])
    event = EventEvidence.of(titles, [[]] * len(titles), np.full(len(titles), np.nan), [[]] * 10)
    row = pair_features(topics, event, None, np.array([False]), np.array([[0, 1]]))[0]
    return float(row[FEATURES.index("title")])


def test_headlines_sharing_one_common_word_are_not_alike() -> None:
    # "news" is all either headline holds: without the prior's word this overlap was 1.0
    assert _title_overlap("News 4", "News 10") < 0.4
    alike = _title_overlap(
        "Holbeck warehouse blaze shuts Leeds ring road",
        "Leeds ring road shut by Holbeck warehouse blaze",
    )
    assert alike > 0.7
    assert _title_overlap("Holbeck warehouse blaze", "Avonmouth recycling plant fire") == 0


def test_places_that_agree_and_that_conflict() -> None:
    shared = _features([[], []], [["dayton", "salem avenue"], ["salem avenue"]])
    assert shared["places"] == pytest.approx(1.0) and shared["place_conflict"] == 0
    apart = _features([[], []], [["dayton"], ["toledo"]])
    assert apart["places"] == 0 and apart["place_conflict"] == 1
    unknown = _features([[], []], [["dayton"], []])
    assert unknown["place_conflict"] == 0  # one names no place: no conflict


def test_the_shipped_model_reads_and_is_calibrated_on_held_aside_pairs() -> None:
    model = read_model(MODEL_FILE)
    assert np.array_equal(model.with_leads.coef, story_model().with_leads.coef)
    assert 0 < model.resolution < 1
    table = model.about["reliability"]
    assert sum(row["pairs"] for row in table) > 1000
    for row in table:  # the share of one event follows the chance, bin by bin
        if row["pairs"] >= 50:
            assert abs(row["one_event"] - row["mean_chance"]) < 0.2, row
    assert set(model.about["leave_one_set_out"]) >= {"gva", "semeval", "ecb"}


def test_each_sentence_models_leads_are_weighed_by_a_model_fitted_on_them() -> None:
    model = story_model()
    exact = model.for_sentence_model("exact")
    # MiniLM's cosines lie on another scale than the fast model's: its own fit, its own
    # resolution; the model without leads is the same for both
    assert not np.array_equal(exact.with_leads.coef, model.with_leads.coef)
    assert 0 < exact.resolution < 1
    assert exact.without_leads is model.without_leads
    assert model.for_sentence_model("fast") is model
    assert exact.for_sentence_model("exact") is exact
    again = read_model(MODEL_FILE).for_sentence_model("exact")
    assert np.array_equal(again.with_leads.coef, exact.with_leads.coef)


def _chance(model: StoryModel, pair: np.ndarray, leads: bool, spread: np.ndarray) -> np.ndarray:
    """The model's chance for ``pair`` before any corpus's prior."""
    chance: np.ndarray = 1.0 / (1.0 + np.exp(-model.log_odds(pair, leads, spread)))
    return chance


# a feed of two years, two articles a day
_FEED = band_spread(np.repeat(np.arange(730.0), 2))


def test_more_evidence_is_likelier_one_event() -> None:
    model = story_model()
    weak = np.zeros((1, len(FEATURES)))
    weak[0, FEATURES.index("words")] = 0.1
    weak[0, FEATURES.index("undated")] = 1.0
    weak[0, FEATURES.index("rank")] = np.log1p(4)  # each has four likelier candidates
    strong = np.zeros((1, len(FEATURES)))
    strong[0, FEATURES.index("words")] = 0.6
    strong[0, FEATURES.index("entities")] = 0.8
    strong[0, FEATURES.index("places")] = 1.0
    for leads in (True, False):
        chances = [_chance(model, pair, leads, _FEED)[0] for pair in (strong, weak)]
        assert chances[0] > 0.8 > 0.3 > chances[1]
    apart = strong.copy()
    apart[0, FEATURES.index("gap")] = np.log1p(365)
    assert _chance(model, apart, True, _FEED)[0] < _chance(model, strong, True, _FEED)[0]


def _pair(days: float | None) -> np.ndarray:
    row = np.zeros((1, len(FEATURES)))
    row[0, FEATURES.index("words")] = 0.4
    if days is None:
        row[0, FEATURES.index("undated")] = 1.0
    else:
        row[0, FEATURES.index("gap")] = np.log1p(days)
    return row


def test_time_is_weighed_by_band_against_the_corpus_span() -> None:
    bands = [int(time_bands(_pair(days))[0]) for days in (None, 0, 1, 3, 7, 30, 365, 366, 731)]
    assert bands == [-1, 0, 1, 2, 3, 4, 5, 6, 7]
    model = story_model()
    chances = [_chance(model, _pair(d), True, _FEED)[0] for d in (0, 1, 3, 7, 30, 365, 400)]
    assert chances == sorted(chances, reverse=True)  # the nearer, the likelier one event
    # an undated pair is weighed by its text: between a same-day pair and one a year apart
    undated = _chance(model, _pair(None), True, _FEED)[0]
    assert chances[-1] < undated < chances[0]
    # in a day's news every pair is of one day: the day says nothing
    one_day = band_spread(np.zeros(40))
    assert _chance(model, _pair(0), True, one_day)[0] == pytest.approx(undated)


def test_a_stray_date_in_a_short_folder_is_no_evidence_for_one_event() -> None:
    """Three weeks of news and one article dated five weeks on: its pairs are the only ones
    31-365 days apart, and that band's tiny u made its date read as strong evidence of one
    event, stronger than a week apart (a new user's budget story joined a council vote)."""
    days = np.array([*(float(day % 22) for day in range(39)), 57.0])
    spread = band_spread(days)
    model = story_model()
    chances = [_chance(model, _pair(d), True, spread)[0] for d in (0, 3, 7, 30, 35)]
    assert chances == sorted(chances, reverse=True)  # the nearer, never the less likely


def test_the_corpus_span_counts_every_pair_of_dated_documents() -> None:
    days = np.array([0.0, 0.0, 1.0, 5.0, 40.0, 500.0, 1300.0, np.nan])
    spread = band_spread(days)
    dated = days[~np.isnan(days)]
    gaps = [abs(a - b) for i, a in enumerate(dated) for b in dated[i + 1 :]]
    expected = np.bincount(time_bands(np.array([_pair(g)[0] for g in gaps])), minlength=8)
    assert spread == pytest.approx(expected / len(gaps))
    assert not band_spread(np.array([3.0, np.nan])).any()  # one dated document: no span


def test_a_corpus_dense_in_one_event_pairs_raises_their_chances() -> None:
    prior = CorpusPrior(weight=20.0, limit=1.0)
    # under a model fitted where a quarter of the pairs were one event, a corpus whose pairs
    # score high holds more of them (a topic's feed), one scoring low fewer (a day's mixed news)
    dense = np.array([3.0] * 300 + [-3.0] * 100)
    sparse = np.array([3.0] * 10 + [-4.0] * 390)
    up, down = prior.shift(dense, 0.25), prior.shift(sparse, 0.25)
    assert 0 < up <= 1.0 and -1.0 <= down < 0
    assert prior.shift(dense, 0.25) == up  # repeatable
    # no further than the limit, however far the estimate: the model's calibration is what
    # is off between feeds
    assert CorpusPrior(weight=20.0, limit=0.5).shift(sparse, 0.25) == -0.5
    # a corpus of a few pairs says little: the fitted share outweighs it
    few = CorpusPrior(weight=20.0, limit=9.0)
    assert abs(few.shift(dense[::100], 0.25)) < abs(few.shift(dense, 0.25))
    assert prior.shift(np.empty(0), 0.25) == 0.0


def test_the_prior_is_the_fixed_point_of_em() -> None:
    # EM run to its end by hand: the share whose pairs' mean chance (with the prior's 20
    # pairs at the fitted share) is itself
    log_odds = np.random.default_rng(3).normal(-1.0, 2.0, 5_000)
    share, fitted = 0.3, np.log(0.3 / 0.7)
    estimate = share
    for _ in range(2_000):
        chance = 1 / (1 + np.exp(-(log_odds - fitted + np.log(estimate / (1 - estimate)))))
        estimate = (chance.sum() + 20 * share) / (len(log_odds) + 20)
    expected = np.log(estimate / (1 - estimate)) - fitted
    assert CorpusPrior(weight=20.0, limit=9.0).shift(log_odds, share) == pytest.approx(
        expected, abs=1e-5
    )


def test_the_shipped_model_moves_with_the_corpus_within_its_limit() -> None:
    model = story_model()
    assert model.prior is not None and 0 < model.with_leads.share < 1
    high = np.full(500, 4.0)
    assert 0 < model.corpus_shift(high, True) <= model.prior.limit
