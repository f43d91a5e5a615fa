// KBDrafts
