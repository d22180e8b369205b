"""株洲 public-information bot: the core (FAQ, matching, answers, storage, CLI), free of Flask and WeChat."""
