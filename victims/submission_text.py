"""The words of the online statement page, in English and Spanish.

The page is the one place RJ Admin speaks to the public in two languages, so its words live here
rather than in gettext catalogs (no compiled message files to keep in step); Django's own messages
(a required field, a choice not offered) come in Spanish from Django's catalogs through
``translation.override``. ``tests/victims/test_submission.py`` checks that both languages have every
key.
"""

TEXT = {
    "en": {
        "title": "Your victim impact statement",
        "intro": (
            "The court wants to know how the crime affected you. Answer only what you want to; every box is "
            "optional, but write in at least one or attach a document. What you write goes to the Office of "
            "Victim Services, who will contact you before it reaches the court. Your address and phone "
            "number are never part of it."
        ),
        "case": "Court case",
        "expires": "This page works until {when}.",
        "saved_at": "Saved {when}.",
        "autosave": "What you type is saved as you go. You can close this page and come back with the same link.",
        "physical_injury": "Were you hurt? Tell us about any injury.",
        "injury_seriousness": "How serious was the injury?",
        "psychological_harm": "How has the crime affected you emotionally?",
        "welfare_changes": "How has it changed your life, your work or your family?",
        "counselling_requested": "I would like information about counselling.",
        "view_on_sentence": "What would you like the court to know about the sentence?",
        "statement_text": "Anything else, in your own words",
        "losses": "Money you lost because of the crime",
        "losses_help": "For example a hospital bill, a repair, or work you missed. Leave a row empty if not needed.",
        "loss_category": "Kind of loss",
        "loss_amount": "Amount in dollars",
        "loss_description": "What it was for",
        "loss_row": "Loss {n}",
        "attachments": "Documents (bills, receipts, letters, photos, a recording)",
        "attachments_help": "PDF, JPEG or PNG pictures, or audio; each up to 20 MB.",
        "document": "Document {n}",
        "consent": "Who may read your statement?",
        "consent_court_only": "The court only",
        "consent_board": "The court and a reparation board (community volunteers who meet the offender)",
        "board_mode": "If a reparation board: how would you like to take part?",
        "save": "Save and finish later",
        "submit": "Send my statement",
        "saved": "Saved. You can come back with the same link until it expires.",
        "errors": "Nothing was sent. Please correct:",
        "empty": "Write in at least one box, or attach a document.",
        "amount_invalid": "Enter an amount in dollars, such as 125.50.",
        "amount_positive": "Enter an amount above zero.",
        "amount_without_kind": "Choose the kind of loss for this amount.",
        "kind_without_amount": "Enter the amount of this loss.",
        "board_mode_needed": "Choose how you would like to take part in the board.",
        "file_type": "Attach a PDF, a JPEG or PNG picture, or an audio recording.",
        "file_size": "The file is larger than 20 MB.",
        "done_title": "Thank you. Your statement was sent.",
        "done": (
            "The Office of Victim Services received it on {when}. They will contact you before it goes to the "
            "court. This link no longer works; if you want to add something, call them."
        ),
        "refused_invalid_title": "This link is not valid",
        "refused_invalid": (
            "This address is not one we sent, or part of it is missing. Copy the whole address from the "
            "message, or call the Office of Victim Services for a new link."
        ),
        "refused_used_title": "This statement was already sent",
        "refused_used": (
            "It was sent on {when}. Each link works once; to add something, call the Office of Victim Services."
        ),
        "refused_expired_title": "This link has expired",
        "refused_expired": (
            "It could be used until {when}. Nothing was changed; call the Office of Victim Services for a new link."
        ),
        "other_language": "Español",
        "help": "Questions? Call the Office of Victim Services at the number in the message with this link.",
    },
    "es": {
        "title": "Su declaración de impacto como víctima",
        "intro": (
            "El tribunal quiere saber cómo le afectó el delito. Conteste solo lo que desee; todas las casillas "
            "son opcionales, pero escriba en al menos una o adjunte un documento. Lo que escriba llega a la "
            "Oficina de Servicios a Víctimas, que se comunicará con usted antes de enviarlo al tribunal. Su "
            "dirección y su teléfono nunca forman parte de la declaración."
        ),
        "case": "Caso judicial",
        "expires": "Esta página funciona hasta el {when}.",
        "saved_at": "Guardado {when}.",
        "autosave": (
            "Lo que escribe se guarda mientras escribe. Puede cerrar esta página y volver con el mismo enlace."
        ),
        "physical_injury": "¿Sufrió alguna lesión? Cuéntenos.",
        "injury_seriousness": "¿Qué tan grave fue la lesión?",
        "psychological_harm": "¿Cómo le ha afectado el delito emocionalmente?",
        "welfare_changes": "¿Cómo ha cambiado su vida, su trabajo o su familia?",
        "counselling_requested": "Quisiera información sobre consejería.",
        "view_on_sentence": "¿Qué le gustaría que el tribunal sepa sobre la sentencia?",
        "statement_text": "Algo más, en sus propias palabras",
        "losses": "Dinero que perdió a causa del delito",
        "losses_help": (
            "Por ejemplo una cuenta del hospital, una reparación o trabajo que perdió. Deje vacía una fila si no "
            "la necesita."
        ),
        "loss_category": "Tipo de pérdida",
        "loss_amount": "Cantidad en dólares",
        "loss_description": "Para qué fue",
        "loss_row": "Pérdida {n}",
        "attachments": "Documentos (cuentas, recibos, cartas, fotos, una grabación)",
        "attachments_help": "PDF, imágenes JPEG o PNG, o audio; cada uno de hasta 20 MB.",
        "document": "Documento {n}",
        "consent": "¿Quién puede leer su declaración?",
        "consent_court_only": "Solo el tribunal",
        "consent_board": "El tribunal y una junta de reparación (voluntarios de la comunidad que se reúnen con el "
        "ofensor)",
        "board_mode": "Si es una junta de reparación: ¿cómo le gustaría participar?",
        "save": "Guardar y terminar más tarde",
        "submit": "Enviar mi declaración",
        "saved": "Guardado. Puede volver con el mismo enlace hasta que venza.",
        "errors": "No se envió nada. Por favor corrija:",
        "empty": "Escriba en al menos una casilla, o adjunte un documento.",
        "amount_invalid": "Escriba una cantidad en dólares, por ejemplo 125.50.",
        "amount_positive": "Escriba una cantidad mayor que cero.",
        "amount_without_kind": "Elija el tipo de pérdida para esta cantidad.",
        "kind_without_amount": "Escriba la cantidad de esta pérdida.",
        "board_mode_needed": "Elija cómo le gustaría participar en la junta.",
        "file_type": "Adjunte un PDF, una imagen JPEG o PNG, o una grabación de audio.",
        "file_size": "El archivo pesa más de 20 MB.",
        "done_title": "Gracias. Su declaración fue enviada.",
        "done": (
            "La Oficina de Servicios a Víctimas la recibió el {when}. Se comunicarán con usted antes de enviarla "
            "al tribunal. Este enlace ya no funciona; si desea agregar algo, llámelos."
        ),
        "refused_invalid_title": "Este enlace no es válido",
        "refused_invalid": (
            "Esta dirección no es una que enviamos, o le falta una parte. Copie la dirección completa del "
            "mensaje, o llame a la Oficina de Servicios a Víctimas para pedir un enlace nuevo."
        ),
        "refused_used_title": "Esta declaración ya fue enviada",
        "refused_used": (
            "Se envió el {when}. Cada enlace funciona una sola vez; para agregar algo, llame a la Oficina de "
            "Servicios a Víctimas."
        ),
        "refused_expired_title": "Este enlace venció",
        "refused_expired": (
            "Se podía usar hasta el {when}. No se cambió nada; llame a la Oficina de Servicios a Víctimas para "
            "pedir un enlace nuevo."
        ),
        "other_language": "English",
        "help": (
            "¿Preguntas? Llame a la Oficina de Servicios a Víctimas al número que aparece en el mensaje con este "
            "enlace."
        ),
    },
}

# The choice lists of the page, in each language (the values are the models' choices).
SERIOUSNESS = {
    "en": [
        ("none", "I was not hurt"),
        ("minor", "Minor"),
        ("serious", "Serious"),
        ("life_threatening", "Life-threatening"),
    ],
    "es": [
        ("none", "No sufrí lesiones"),
        ("minor", "Leve"),
        ("serious", "Grave"),
        ("life_threatening", "Puso en peligro mi vida"),
    ],
}
LOSS_CATEGORIES = {
    "en": [
        ("medical", "Medical and dental"),
        ("counselling", "Counselling"),
        ("property", "Property lost or damaged"),
        ("wages", "Lost wages"),
        ("funeral", "Funeral"),
        ("travel", "Travel to court or treatment"),
        ("other", "Other"),
    ],
    "es": [
        ("medical", "Médico y dental"),
        ("counselling", "Consejería"),
        ("property", "Bienes perdidos o dañados"),
        ("wages", "Salario perdido"),
        ("funeral", "Funeral"),
        ("travel", "Viajes al tribunal o a tratamiento"),
        ("other", "Otro"),
    ],
}
BOARD_MODES = {
    "en": [
        ("attend", "I would like to attend the board"),
        ("written_shared", "In writing, and the offender may read it"),
        ("written_board_only", "In writing, for the board only"),
        ("no_participation", "I do not want to take part"),
    ],
    "es": [
        ("attend", "Me gustaría asistir a la junta"),
        ("written_shared", "Por escrito, y el ofensor puede leerlo"),
        ("written_board_only", "Por escrito, solo para la junta"),
        ("no_participation", "No deseo participar"),
    ],
}
MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def when(moment, language: str) -> str:
    """A date and time as the page's reader writes it (America/Chicago)."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    if language == "es":
        return f"{local.day} de {MONTHS_ES[local.month - 1]} de {local.year}, {local:%H:%M}"
    return f"{local:%B} {local.day}, {local.year}, {local:%-I:%M %p}"
