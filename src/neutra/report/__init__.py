"""The HTML report (bilingual, self-contained, offline) and its charts."""
