// KBReports
