// KBIndex
