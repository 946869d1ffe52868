from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "jixing.nominations"
    label = "nominations"
    verbose_name = "申报"

    def ready(self) -> None:
        from jixing.campaigns.domain.staleness import on_stale
        from jixing.nominations.tasks import queue_refresh

        on_stale(queue_refresh)  # stale results are computed again by a background task
