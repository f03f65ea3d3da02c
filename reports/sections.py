"""The program sections of the brochure and the public page, with their default text.

Administrators edit the text (``BrochureBlock``); these defaults fill a block not yet saved, so the
brochure reads well on a new install. Each section's figures are the ones the apps registered for
it in core's registry; a section without data says what the program does, without a number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionDefault:
    key: str
    title: str
    body: str
    page: int
    order: int


ICVC_TOPICS = [
    "Overview of victimization",
    "Property crimes",
    "Child and elder abuse",
    "Domestic violence",
    "Assault",
    "Sexual assault",
    "Drunk driving",
    "Robbery",
    "Drugs",
    "Homicide",
]

ADDRESS = "2729 Plaza Drive, Jefferson City, MO 65102"

SECTION_DEFAULTS = [
    SectionDefault(
        "intro",
        "What Restorative Justice is",
        "Crime harms victims, families and whole communities. Restorative Justice asks the people who "
        "caused that harm to understand it and to give something back. In Missouri's correctional "
        "centers and Probation and Parole districts they grow food for food banks, make quilts, toys "
        "and bicycles for people in need, train shelter dogs for adoption, raise money for local "
        "causes, work court-ordered community service, meet citizen reparation boards, pay restitution "
        "to their victims, and learn in a 40-hour class what crime does to victims.",
        1,
        10,
    ),
    SectionDefault(
        "gardens",
        "Gardens that feed neighbors",
        "Offender volunteers plant, tend and harvest gardens at correctional centers across the state. "
        "The fresh produce goes to food banks, pantries, shelters and senior centers near each facility.",
        1,
        20,
    ),
    SectionDefault(
        "donations",
        "Crafts for the community",
        "Sewing, woodworking and repair shops turn donated materials into things people need: quilts, "
        "knitted hats for premature newborns, refurbished bicycles, wheelchairs and walkers, children's "
        "furniture, backpacks and coloring books, given to schools, hospitals, shelters and nonprofits.",
        1,
        30,
    ),
    SectionDefault(
        "fundraisers",
        "Fundraisers",
        "Offenders organize fundraisers that buy school supplies for children and send aid to "
        "communities struck by disasters.",
        1,
        40,
    ),
    SectionDefault(
        "puppies",
        "Puppies for Parole",
        "Offender handlers take in dogs from partner animal shelters and train them in obedience and "
        "good manners, so that each dog leaves ready for a family of its own.",
        1,
        50,
    ),
    SectionDefault(
        "community_service",
        "Community service",
        "Courts order community service as a way to repay the community. People under supervision work "
        "their hours at non-profit and tax-supported agencies, and their officers verify every hour.",
        1,
        60,
    ),
    SectionDefault(
        "boards",
        "Reparation boards",
        "Citizen volunteers meet a person on probation, talk through the harm done and agree with them "
        "on how to repair it: an apology, restitution, service or a class.",
        2,
        10,
    ),
    SectionDefault(
        "restitution",
        "Restitution and the Crime Victims' Compensation Fund",
        "Restitution repays victims for what they lost. Offenders also pay judgments to the Crime "
        "Victims' Compensation Fund (CVCF), which helps victims of violent crime with medical, "
        "counseling and funeral costs. Probation officers follow every payment.",
        2,
        20,
    ),
    SectionDefault(
        "victims",
        "Victim impact statements",
        "Victims may tell the court, the parole board and the offender, in their own words, how the "
        "crime changed their lives. Statements are kept confidential and read only by those who must.",
        2,
        30,
    ),
    SectionDefault(
        "classes",
        "Impact of Crime on Victims classes",
        "A 40-hour course in which offenders hear from victims and learn what crime does to them. "
        "Its ten topics:\n" + "\n".join(f"- {t}" for t in ICVC_TOPICS),
        2,
        40,
    ),
    SectionDefault(
        "contact",
        "Contact Restorative Justice",
        f"Missouri Department of Corrections, Restorative Justice\n{ADDRESS}",
        2,
        90,
    ),
]

DEFAULTS_BY_KEY = {s.key: s for s in SECTION_DEFAULTS}
# Sections that hold no program figures.
TEXT_ONLY = {"intro", "contact"}
