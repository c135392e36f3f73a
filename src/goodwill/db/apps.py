from django.apps import AppConfig


class DbConfig(AppConfig):
    name = "goodwill.db"
    label = "goodwill"
    verbose_name = "goodwill"
