"""What follows in the year: one basisbod for several gemeenten, the spring evaluation, and the
rollover into next year's jaarschijven."""
