"""A site's alerts and the citizens who subscribe to them (Zalo, SMS, e-mail)."""
