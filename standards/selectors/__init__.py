"""Reads of the standards: version content and review, compliance, adoption, tools."""
