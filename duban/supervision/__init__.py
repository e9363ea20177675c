"""督办: the loop itself — who may do what to a target, the actions, reminders and chasing."""
