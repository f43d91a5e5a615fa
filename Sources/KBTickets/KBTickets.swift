// KBTickets
