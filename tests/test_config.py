import pytest

from wiretrace import ConfigError, FieldNames, ScanConfig


def test_default_banding_catches_the_containment_floor() -> None:
    config = ScanConfig()
    banding = config.lsh()
    # containment 0.8 of a copy 40% the length of its source is Jaccard 0.296
    assert config.jaccard_floor == pytest.approx(0.8 * 0.4 / (1 + 0.4 - 0.8 * 0.4))
    assert banding.bands * banding.rows <= config.num_perm
    assert banding.catch_probability(config.jaccard_floor) >= config.lsh_recall
    assert banding.catch_probability(0.5) > 0.9999


def test_more_rows_when_the_floor_is_higher() -> None:
    low = ScanConfig().lsh()
    high = ScanConfig(jaccard_threshold=0.8, containment_threshold=1.0, min_length_ratio=1.0).lsh()
    assert high.rows > low.rows


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ({"jaccard_threshold": 0.0}, "jaccard_threshold must be in (0, 1], got 0.0"),
        ({"num_perm": 4}, "num_perm must be 8..1024, got 4"),
        ({"shingle_size": 0}, "shingle_size must be 1..32"),
        ({"lsh_recall": 1.0}, "lsh_recall must be in [0.5, 1)"),
        ({"min_passage_words": 0}, "min_passage_words must be >= 1"),
    ],
)
def test_bad_values_say_what_was_received(arguments: dict[str, float], fragment: str) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        ScanConfig(**arguments)  # type: ignore[arg-type]
    assert fragment in str(caught.value)


def test_unreachable_recall_names_the_fix() -> None:
    with pytest.raises(ConfigError, match="use num_perm >="):
        ScanConfig(num_perm=8, jaccard_threshold=0.1, lsh_recall=0.999).lsh()


def test_empty_field_name_is_refused() -> None:
    with pytest.raises(ConfigError, match="field name for 'text' is empty"):
        FieldNames(text="")
