"""The FAQ content staff edit: the entry model, loading faq_data/, and the checks."""
