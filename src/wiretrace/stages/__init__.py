"""The stages of a scan, each a plain function of its inputs (see ``wiretrace.pipeline``)."""
