// KBGaps
