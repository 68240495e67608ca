"""What demo clients are made of: names by origin, forms of address, tastes, dates, conversations."""

from dataclasses import dataclass

from ..models import Interaction, Preference, Relation

Cat, Kind, Sev = Preference.Category, Preference.Kind, Preference.Severity
Ch = Interaction.Channel


def _w(text: str) -> list[str]:
    return text.split("|")


@dataclass(frozen=True)
class Origin:
    women: list[str]
    men: list[str]
    surnames: list[str]
    languages: list[str]
    # country code, fixed leading digits, number of free digits, how the number is displayed
    phone: tuple[str, str, int, tuple[int, ...]]
    weight: int


ORIGINS = [
    Origin(
        _w(
            "Éloïse|Amélie|Hélène|Béatrice|Clémence|Gaëlle|Marguerite|Solène|Chloé|Noémie|Inès|Ségolène|Anaïs|Joséphine|Aliénor|Maïwenn"
        ),
        _w(
            "Jean-Baptiste|François|Aurélien|Théophile|Grégoire|Loïc|Hervé|Benoît|Gaspard|Édouard|Pierre-Louis|Jérôme|Anatole|Côme|Thibault|Stéphane"
        ),
        _w(
            "Lefèvre|Bérard|Dubois-Crancé|Chevalier|Saint-Exupéry|Périer|Moreau|Delacroix|Fontaine|Beaumont|Castellane|de Broglie|Rochechouart|d'Ormesson|de Noailles|L'Herminier|Lévêque|Du Pont de Nemours|Bréguet|d'Estaing"
        ),
        _w("French|French, English|French, English, Italian|French, Spanish"),
        ("33", "6", 8, (1, 2, 2, 2, 2)),
        40,
    ),
    Origin(
        _w("Isabella|Sofia|Giulia|Francesca|Ludovica"),
        _w("Alessandro|Lorenzo|Matteo|Giancarlo|Niccolò"),
        _w("Rossi|Agnelli|Ferragamo|Brandolini d'Adda|Della Valle|Orsini"),
        _w("Italian, French|Italian, English"),
        ("39", "33", 8, (3, 3, 4)),
        8,
    ),
    Origin(
        _w("Olivia|Charlotte|Harriet|Imogen|Siobhan"),
        _w("James|Rupert|Hugo|Alistair|Rhys"),
        _w("Whitmore|Fairfax|O'Connell|Ashworth-Lyle|Cavendish|Pemberton"),
        _w("English|English, French"),
        ("44", "77", 8, (4, 6)),
        9,
    ),
    Origin(
        _w("Madison|Caroline|Eleanor|Grace"),
        _w("William|Theodore|Carter|Benjamin"),
        _w("Vanderbilt|Rockwell|Hamilton|Astor|Whitney"),
        _w("English|English, Spanish"),
        ("1", "212", 7, (3, 3, 4)),
        7,
    ),
    Origin(
        _w("Yuki|Aiko|Haruka|Mei"),
        _w("Hiroshi|Kenji|Takeshi|Ren"),
        _w("Tanaka|Nakamura|Takahashi|Watanabe|Yamamoto"),
        _w("Japanese, English|Japanese, English, French"),
        ("81", "90", 8, (2, 4, 4)),
        6,
    ),
    Origin(
        _w("Amara|Chiamaka|Ngozi|Adaeze"),
        _w("Chidi|Olusegun|Emeka|Tunde"),
        _w("Okonkwo|Adeyemi|Okafor|Balogun|Dangote"),
        _w("English, Yoruba|English, Igbo, French"),
        ("234", "803", 7, (3, 3, 4)),
        5,
    ),
    Origin(
        _w("Rania|Layla|Noor|Mariam"),
        _w("Karim|Omar|Khalid|Rashid"),
        _w("Al-Mansouri|Al-Nahyan|El-Khoury|Haddad|Al-Thani"),
        _w("Arabic, English|Arabic, French, English"),
        ("971", "50", 7, (2, 3, 4)),
        6,
    ),
    Origin(
        _w("Priya|Ananya|Kavya|Meera"),
        _w("Arjun|Rohan|Vikram|Aditya"),
        _w("Mehta|Singhania|Birla|Khanna|Godrej"),
        _w("English, Hindi|English, Gujarati, Hindi"),
        ("91", "98", 8, (5, 5)),
        5,
    ),
    Origin(
        _w("Ingrid|Astrid|Sigrid|Elsa"),
        _w("Lars|Magnus|Björn|Søren"),
        _w("Lindqvist|Wallenberg|Ødegaard|Sjöberg|Nyström"),
        _w("Swedish, English|Norwegian, English, German"),
        ("46", "70", 7, (2, 3, 2, 2)),
        4,
    ),
    Origin(
        _w("Lucía|Valentina|Mercedes|Ximena"),
        _w("Mateo|Santiago|Joaquín|Íñigo"),
        _w("García Márquez|Domínguez|Fernández de Córdoba|Botín|Ortega y Gasset"),
        _w("Spanish, English|Spanish, French, English"),
        ("34", "6", 8, (3, 3, 3)),
        5,
    ),
    Origin(
        _w("Anneliese|Katharina|Friederike"),
        _w("Maximilian|Friedrich|Konstantin"),
        _w("von Thurn und Taxis|Müller-Lüdenscheidt|Schönborn|Oetker"),
        _w("German, English, French|German, English"),
        ("41", "79", 7, (2, 3, 2, 2)),
        5,
    ),
]
ORIGIN_WEIGHTS = [o.weight for o in ORIGINS]
PRONUNCIATIONS = {
    "Éloïse": "ay-lo-EEZ",
    "Aliénor": "al-yay-NOR",
    "Maïwenn": "my-WEN",
    "Côme": "KOHM",
    "Siobhan": "shi-VAWN",
    "Niccolò": "nee-ko-LOH",
    "Íñigo": "EE-nyee-go",
    "Søren": "SUR-en",
    "d'Harcourt": "dar-KOOR",
    "de La Rochefoucauld": "duh la rosh-foo-KOH",
    "de Broglie": "duh BROY",
    "Rochechouart": "rosh-SHWAR",
    "d'Ormesson": "dor-meh-SON",
    "Saint-Exupéry": "san-teg-zu-pay-REE",
    "Okonkwo": "oh-KONG-kwoh",
    "Lindqvist": "LIND-kvist",
    "Nakamura": "na-ka-MOO-ra",
    "Al-Mansouri": "al-man-SOO-ree",
    "Castellane": "kas-teh-LAN",
    "Ødegaard": "UR-deh-gor",
    "Schönborn": "SHURN-born",
    "Agnelli": "an-YEL-lee",
}
# (French-speaking, others) × (women, men)
ADDRESSES_FR = (
    _w("Madame|Madame la Présidente|Madame la Comtesse|Madame la Ministre|Dr.|Maître"),
    _w("Monsieur|Monsieur le Comte|Monsieur le Président|Monsieur le Marquis|Dr.|Maître"),
)
ADDRESSES_EN = (
    _w("Mrs.|Ms.|Dr.|Lady|Professor|Her Excellency"),
    _w("Mr.|Sir|Dr.|Lord|Professor|His Excellency"),
)
NICKNAMES = {
    "Jean-Baptiste": "JB",
    "Pierre-Louis": "Pilou",
    "Alessandro": "Sandro",
    "Francesca": "Cesca",
    "Theodore": "Teddy",
    "Benjamin": "Ben",
    "Alistair": "Ali",
    "Maximilian": "Max",
    "Konstantin": "Kostja",
    "Katharina": "Kathi",
    "Valentina": "Vale",
    "Santiago": "Santi",
    "Caroline": "Caro",
    "Joséphine": "Jo",
    "Édouard": "Édou",
    "Charlotte": "Lottie",
}
TAGS = _w(
    "VIP|Art collector|Yacht|Family office|Wine collector|Equestrian|Philanthropy|Fashion week|Ski|Golf|Michelin|Formula 1|Opera|Private aviation|Horology|Press-shy|Referral"
)
EMAIL_DOMAINS = _w("gmail.com|icloud.com|orange.fr|proton.me|outlook.com|wanadoo.fr|me.com")
BEST_TIMES = _w(
    "Weekdays after 18:00|Mornings before 9:00|Never before 10:00|Lunchtime, 12:30–14:00|Weekends only|Through the assistant during office hours|Evenings, Paris time"
)
ADDRESSES = _w(
    "14 rue de l'Université, 75007 Paris|27 avenue Montaigne, 75008 Paris|Villa Les Pins, Cap d'Antibes|3 place des Vosges, 75004 Paris|Chalet Le Refuge, Courchevel 1850|12 Eaton Square, London SW1W|Quai du Mont-Blanc 19, Genève|740 Park Avenue, New York|Palazzo Orsini, Via Giulia, Roma|Domaine de la Croix, Saint-Tropez"
)
CITIES = _w("Geneva|London|Monaco|New York|Dubai|Tokyo|Milan|Gstaad")
CHILD_NOTES = _w(
    "|Allergic to peanuts|Loves horse riding|Boarding school in Switzerland|Plays the cello|Vegetarian|Football mad — PSG"
)
STAFF_NOTES = {
    Relation.Kind.ASSISTANT: _w(
        "Handles all travel bookings; copy her on emails|Call him first for anything before noon|Manages the diary; confirm every booking in writing"
    ),
    Relation.Kind.CHAUFFEUR: _w(
        "Mercedes S-Class, black|Waits at the private terminal|Needs the addresses the day before"
    ),
    Relation.Kind.HOUSEKEEPER: _w(
        "Keys to the apartment; deliveries to her|Speaks Portuguese and French"
    ),
    Relation.Kind.NANNY: _w("With the children on weekdays|Drives; can collect from school"),
}
CUSTOM_DATES = [
    ("Yearly ski trip to Courchevel", 2, 1, True),
    ("Arrival in Saint-Tropez for the summer", 7, 10, True),
    ("Foundation gala", 11, 20, False),
    ("Company anniversary", 5, 15, True),
    ("Anniversary of her father's death — no celebrations", 3, 12, True),
    ("Salzburg Festival", 7, 25, True),
    ("Monaco Grand Prix weekend", 5, 24, True),
]
PREFERENCES = {
    Cat.DINING: (
        _w(
            "Ruinart Blanc de Blancs|Table by the window|Omakase counters|Burgundy reds, Côte de Nuits|Early dinner, 19:00|Le Cinq, table 7|Still water, never sparkling at the table|Sushi at Jin|Dover sole, simply grilled"
        ),
        _w("Coriander|Loud dining rooms|Truffle oil|Tasting menus longer than two hours|Raw onion"),
        [
            ("Shellfish — anaphylaxis, carries an EpiPen", Sev.CRITICAL),
            ("Peanuts — severe", Sev.CRITICAL),
            ("Gluten — coeliac", Sev.IMPORTANT),
            ("Lactose intolerance", Sev.IMPORTANT),
            ("Sesame", Sev.CRITICAL),
        ],
        _w(
            "Never seat near the kitchen|Never serve foie gras|No alcohol — never offer a wine pairing|Never book Restaurant Le Grand Véfour again"
        ),
    ),
    Cat.TRAVEL: (
        _w(
            "Aisle seat, front of the cabin|Private terminal at Le Bourget|Eurostar Business Premier|NetJets, Challenger 350|Late checkout on every stay|Connecting flights over 90 minutes only"
        ),
        _w("Red-eye flights|Connections through Frankfurt|Helicopter transfers"),
        [],
        _w(
            "Never book a layover under 90 minutes|Never fly Airline X after the 2022 luggage incident"
        ),
    ),
    Cat.HOTELS: (
        _w(
            "Le Bristol, Paris — suite 512|Corner suites, high floor|Aman Tokyo|Hôtel du Cap-Eden-Roc|Claridge's, London|Room away from the lift"
        ),
        _w("Carpeted rooms|Open-plan bathrooms|Music in the lobby"),
        [("Feathers — synthetic pillows only", Sev.IMPORTANT)],
        _w("Never book Hotel X|Never book the Hôtel du Lac, Geneva|Never a ground-floor room"),
    ),
    Cat.WELLNESS: (
        _w(
            "Morning Pilates, 7:00|Deep-tissue massage, female therapist|Hammam before dinner|Personal trainer when travelling"
        ),
        _w("Hot stone treatments|Early-morning spa slots"),
        [("Latex", Sev.CRITICAL), ("Lavender essential oil", Sev.IMPORTANT)],
        [],
    ),
    Cat.GIFTS: (
        _w(
            "White peonies|Diptyque Baies candles|First editions (Proust)|Ladurée rose macarons|Cuban cigars for the husband"
        ),
        _w("Chocolates|Logo-heavy gifts"),
        [],
        _w("Never send lilies|Never send yellow roses|Never a gift in front of the children"),
    ),
    Cat.FASHION: (
        _w(
            "Hermès, size 38|Charvet shirts, collar 40|Loro Piana cashmere|Private viewings, never the shop floor|Dior haute couture fittings"
        ),
        _w("Visible logos|Synthetic fabrics"),
        [("Nickel — no costume jewellery", Sev.IMPORTANT)],
        [],
    ),
    Cat.EVENTS: (
        _w(
            "Roland-Garros, Court Philippe-Chatrier|Monaco Grand Prix from a terrace|Front row at Paris Fashion Week|Wimbledon debenture seats"
        ),
        _w("Stadium concerts|Standing tickets"),
        [],
        _w("Never hospitality boxes shared with strangers"),
    ),
    Cat.TRANSPORT: (
        _w(
            "Mercedes S-Class, black, water in the back|The same chauffeur whenever possible|Helicopter to Courchevel rather than the road"
        ),
        _w("Ride-hailing|Small cars"),
        [],
        _w("Never a driver who talks on the phone"),
    ),
    Cat.ARTS: (
        _w(
            "Opéra Garnier, loge de face|Contemporary African art|Salzburg Festival every August|Jazz at the Duc des Lombards|Private tours before opening hours"
        ),
        _w("Musicals|Crowded vernissages"),
        [],
        _w("Never seat in the stalls"),
    ),
    Cat.OTHER: (
        _w(
            "Two Labradors — dog-friendly venues|WhatsApp rather than calls|Quiet cars only|Paper invoices to the family office"
        ),
        _w("Voicemail|Being called by first name by staff"),
        [("Dog hair — the spouse is allergic", Sev.IMPORTANT)],
        _w("Never call on Sundays|Never mention the divorce"),
    ),
}
SUMMARIES = {
    Ch.CALL: _w(
        "Confirmed the table at Le Cinq for Saturday, 20:30, for four.|Called to wish a happy birthday; mentioned the ski trip in February.|Asked for a dermatologist in Geneva; sent two names by message.|Reviewed the summer plans: Saint-Tropez from 10 July, the yacht from the 20th.|Appel pour confirmer le transfert à Orly, chauffeur à 7 h 15.|Called about the lost luggage; the airline delivers tonight."
    ),
    Ch.MESSAGE: _w(
        "WhatsApp: sent the Courchevel chalet shortlist (three options).|Flight moved to 10:05; new boarding pass sent.|SMS : rappel du rendez-vous chez Charvet jeudi à 15 h.|Sent photos of the two peony arrangements; she chose the white one.|Asked whether the children need visas for Japan; checking."
    ),
    Ch.EMAIL: _w(
        "Sent the Salzburg Festival programme and the seat plan.|Invoice for the Venice weekend sent to the family office.|E-mail : confirmation de la réservation au Bristol, suite 512.|Shared three options for the anniversary dinner.|Sent the vaccination requirements for the safari."
    ),
    Ch.MEETING: _w(
        "Lunch at the Ritz: planning the 40th-anniversary dinner.|Quarterly review with the assistant: travel and gifts for the season.|Rendez-vous au bureau : préparation du voyage au Japon.|Met at the gallery opening; introduced to the curator."
    ),
    Ch.VISIT: _w(
        "Delivered the framed print to the apartment; met the housekeeper.|Visited the villa in Saint-Jean-Cap-Ferrat with the florist.|Visite à l'hôtel particulier pour l'inventaire de la cave.|Dropped the passports at the embassy in person."
    ),
}
CHANNELS = list(SUMMARIES)
