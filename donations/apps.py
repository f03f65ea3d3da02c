from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "Donations and craft production"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Gardens knows nothing of donations; it asks us, through its services, whether a corrected
        # or voided harvest would leave produce given away that was never grown.
        from gardens.services import register_stock_check

        from .services import stock_check_produce

        register_stock_check(stock_check_produce)
