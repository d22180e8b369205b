"""Commands staff run: faq test/reload/draft/import/export, report, eval."""
