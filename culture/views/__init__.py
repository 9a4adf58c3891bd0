"""Views of the culture area, one module per part (ideas, campaigns, sessions,
improvements, surveys, programme)."""
