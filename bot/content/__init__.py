"""The FAQ content staff edit in faq_data/: what it is (model), loading it (faq, with entries,
keywords, needs and the line-aware reader yamlread), writing it back (yamlwrite), and checks."""
