import factory
from django.utils import timezone

from clients import services
from clients.models import Client, ContactPoint, ImportantDate, Interaction, Preference, Relation


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    tier = Client.Tier.PREMIUM

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, as the app writes a client (its tags, its owner, what search finds).
        return services.client_create(by=None, **kwargs)


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    client = factory.SubFactory(ClientFactory)
    kind = ContactPoint.Kind.PHONE
    value = "+33 6 12 34 56 78"

    @classmethod
    def _create(cls, model_class, *args, client, **kwargs):
        part = model_class(*args, **kwargs)
        return services.client_part_save(client=client, part=part, version=None, by=None)


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    client = factory.SubFactory(ClientFactory)
    kind = Relation.Kind.SPOUSE
    name = factory.Sequence(lambda n: f"Proche {n}")

    @classmethod
    def _create(cls, model_class, *args, client, **kwargs):
        part = model_class(*args, **kwargs)
        return services.client_part_save(client=client, part=part, version=None, by=None)


class ImportantDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportantDate

    client = factory.SubFactory(ClientFactory)
    kind = ImportantDate.Kind.BIRTHDAY
    date = factory.LazyFunction(lambda: timezone.localdate().replace(year=1980))


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    client = factory.SubFactory(ClientFactory)
    category = Preference.Category.DINING
    kind = Preference.Kind.LIKE
    detail = factory.Sequence(lambda n: f"Preference {n}")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    client = factory.SubFactory(ClientFactory)
    channel = Interaction.Channel.CALL
    direction = Interaction.Direction.OUTBOUND
    summary = factory.Sequence(lambda n: f"Call number {n}")


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "requests.ServiceRequest"

    client = factory.SubFactory(ClientFactory)
    title = factory.Sequence(lambda n: f"Table for two #{n}")
    category = "dining"
    due_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=2))
    assignee = factory.LazyAttribute(lambda o: o.client.primary_concierge)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "requests.Vendor"

    name = factory.Sequence(lambda n: f"Maison {n}")
    kind = "restaurant"
