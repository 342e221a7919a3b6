"""The Spark backend (``--backend spark``, the ``spark`` extra): ``backend`` runs the scan's
stages as Spark jobs; ``groups`` holds the stages that are a group-by over the whole corpus
(LSH bands, recurring lines) as DataFrame plans."""

from wiretrace.spark.backend import INSTALL, SparkBackend, spark_available

__all__ = ["INSTALL", "SparkBackend", "spark_available"]
