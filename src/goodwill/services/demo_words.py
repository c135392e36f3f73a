"""The words the demo network is made of: names, organizations, and needs and
offers written the way people write them (several wordings per theme, so that
matching has to be semantic, not a string comparison)."""

from __future__ import annotations

FIRST_NAMES = (  # noqa: SIM905
    "Aaliyah Aaron Abigail Adrian Aisha Alejandro Alex Alice Amara Amir Ana Andre Andrea "
    "Anika Anton Arjun Astrid Ben Bianca Bruno Camila Carlos Carmen Chen Chloe Chris Clara "
    "Daniel Daria David Deepa Diego Dmitri Elena Eli Emeka Emily Emma Erik Esther Fatima "
    "Felix Fiona Gabriel Grace Hana Hannah Hassan Helena Hugo Ines Isaac Ivan Jack Jamal "
    "James Jana Javier Jia Joanna Jonas Jorge Julia Kai Karim Kate Kenji Laila Lars Laura Leo "
    "Lina Lucas Lucia Maya Marco Maria Mateo Mei Mia Miguel Mohammed Nadia Naomi Nia Nikolai "
    "Nina Noah Olga Omar Oscar Paula Pedro Priya Rafael Rahul Rosa Ruth Sam Sara Sean Sofia "
    "Sven Tariq Tom Uma Valentina Victor Wei Yara Yusuf Zara Zoe"
).split()

LAST_NAMES = (  # noqa: SIM905
    "Abbott Adeyemi Alvarez Andersen Bauer Becker Bennett Bianchi Brennan Brooks Carter "
    "Castro Chandra Chen Costa Dalton Das Dubois Duarte Eriksen Evans Fischer Fleming "
    "Fontaine Garcia Gomez Gupta Haas Hansen Harper Hayes Hoffmann Hughes Ibrahim Ito Jansen "
    "Jensen Johansson Kaur Keller Khan Kim Klein Kowalski Kruger Larsen Lee Lindqvist Lopez "
    "Martin Meyer Moreau Morgan Murphy Nakamura Nguyen Novak Nowak O'Brien Okafor Olsen Ortiz "
    "Park Patel Petrov Price Quinn Rao Reyes Richter Rossi Russo Santos Sato Schmidt "
    "Schneider Shah Silva Singh Sokolov Suzuki Tanaka Taylor Thompson Torres Tran Turner "
    "Vargas Vogel Walker Wang Weber Williams Wong Yamamoto Yilmaz Young Zhang Zimmermann"
).split()

# industry -> (organization nouns, typical titles)
INDUSTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "software": (("Software", "Labs", "Systems", "Cloud"), ("CTO", "Engineering Manager")),
    "fintech": (("Pay", "Capital", "Ledger", "Finance"), ("CFO", "Head of Product")),
    "manufacturing": (("Manufacturing", "Industries", "Works", "Tools"), ("COO", "Plant Manager")),
    "healthcare": (
        ("Health", "Clinic", "Care", "Medical"),
        ("Practice Manager", "Medical Director"),
    ),
    "retail": (("Stores", "Market", "Goods", "Outfitters"), ("Store Owner", "Head of E-commerce")),
    "real estate": (("Properties", "Realty", "Estates", "Homes"), ("Broker", "Managing Partner")),
    "legal": (("Law", "Legal", "& Partners", "Chambers"), ("Partner", "General Counsel")),
    "accounting": (("Accounting", "Advisors", "Tax", "Audit"), ("Partner", "Senior Accountant")),
    "marketing": (("Media", "Creative", "Digital", "Studio"), ("Creative Director", "CMO")),
    "construction": (
        ("Builders", "Construction", "Contracting", "Design Build"),
        ("Owner", "Project Manager"),
    ),
    "education": (("Academy", "Learning", "School", "Institute"), ("Dean", "Program Director")),
    "hospitality": (("Hotels", "Kitchen", "Catering", "Hospitality"), ("General Manager", "Owner")),
    "logistics": (("Logistics", "Freight", "Transport", "Supply"), ("Operations Director", "CEO")),
    "energy": (("Energy", "Solar", "Power", "Renewables"), ("CEO", "Business Development Lead")),
    "nonprofit": (
        ("Foundation", "Trust", "Alliance", "Network"),
        ("Executive Director", "Development Officer"),
    ),
}

ORG_WORDS = (  # noqa: SIM905
    "Acorn Alder Apex Arbor Atlas Beacon Birch Blue Bright Cardinal Cedar Clear Cobalt Copper "
    "Crest Delta Ember Evergreen Falcon Fern Granite Harbor Hazel Horizon Iron Juniper "
    "Keystone Lakeside Linden Maple Meridian Northwind Oak Orchard Pine Prairie Quarry "
    "Redwood Ridge River Sage Silver Spruce Stone Summit Sunrise Tidewater True Union Valley "
    "Willow Zenith"
).split()

ORG_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
CITIES = (
    "Austin",
    "Boston",
    "Chicago",
    "Denver",
    "Seattle",
    "Portland",
    "Atlanta",
    "Toronto",
    "London",
    "Berlin",
    "Amsterdam",
    "Dublin",
    "Lisbon",
    "Madrid",
    "Paris",
    "Stockholm",
)

GENERIC_TITLES = ("Founder", "CEO", "Consultant", "Director", "Manager", "Sales Lead", "Analyst")

# (need wordings, offer wordings): about 40 themes, 3+ wordings each.
THEMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "need help with my books",
            "our bookkeeping is a mess",
            "looking for an accountant for the business",
        ),
        (
            "bookkeeping and tax returns",
            "small business accounting",
            "I do the books for a dozen local firms",
        ),
    ),
    (
        (
            "looking for investors for our seed round",
            "raising a seed round this spring",
            "need intros to angel investors",
        ),
        (
            "angel investor, seed rounds",
            "invests in early-stage startups",
            "sits on a seed fund's investment committee",
        ),
    ),
    (
        (
            "hiring a React developer",
            "need a frontend dev for a few months",
            "our web app needs a UI rebuild",
        ),
        (
            "frontend engineer (React, TypeScript)",
            "builds web apps in React",
            "freelance UI developer",
        ),
    ),
    (
        (
            "need a lawyer to review a contract",
            "looking for help with a commercial lease",
            "contract negotiation advice",
        ),
        (
            "commercial contracts and leases",
            "business lawyer, contracts",
            "reviews vendor agreements",
        ),
    ),
    (
        (
            "want to expand into Germany",
            "looking for a partner in the DACH market",
            "need contacts in Berlin",
        ),
        ("knows the German market well", "sales partner for DACH", "ran a Berlin office for years"),
    ),
    (
        ("need a new website", "our site looks dated", "looking for a web designer"),
        (
            "web design and branding",
            "designs websites for small businesses",
            "brand and website refresh",
        ),
    ),
    (
        (
            "struggling to hire good salespeople",
            "need to build a sales team",
            "looking for a sales recruiter",
        ),
        ("recruits sales teams", "sales hiring and onboarding", "headhunter for sales roles"),
    ),
    (
        (
            "need more leads from LinkedIn",
            "want to grow our LinkedIn presence",
            "help with social selling",
        ),
        ("LinkedIn coaching", "social selling workshops", "ghostwrites LinkedIn posts"),
    ),
    (
        ("looking for office space downtown", "need a bigger office", "moving offices next year"),
        (
            "commercial real estate broker",
            "finds office space for growing teams",
            "knows every landlord downtown",
        ),
    ),
    (
        (
            "need a cyber security audit",
            "worried about ransomware",
            "looking for help with ISO 27001",
        ),
        (
            "security audits and penetration testing",
            "cyber security consultant",
            "ISO 27001 readiness",
        ),
    ),
    (
        (
            "want to move our servers to the cloud",
            "AWS bill is out of control",
            "need a cloud architect",
        ),
        (
            "cloud migration (AWS, Azure)",
            "cuts cloud costs",
            "DevOps and infrastructure consulting",
        ),
    ),
    (
        (
            "need a bank that understands startups",
            "looking for a business loan",
            "need working capital financing",
        ),
        ("business banking and loans", "commercial lender", "SBA loans and credit lines"),
    ),
    (
        (
            "looking for a mentor",
            "want advice from someone who sold a company",
            "need a sounding board as a new CEO",
        ),
        (
            "mentors first-time founders",
            "sold two companies, happy to advise",
            "executive coaching",
        ),
    ),
    (
        (
            "need help with payroll",
            "payroll takes me a day every month",
            "looking for an HR outsourcing firm",
        ),
        ("payroll and HR outsourcing", "runs payroll for small teams", "HR services for startups"),
    ),
    (
        (
            "want to speak at conferences",
            "looking for speaking opportunities",
            "need a stage for our story",
        ),
        ("organizes industry conferences", "books speakers for events", "runs a popular meetup"),
    ),
    (
        ("need PR for our launch", "want press coverage", "looking for a PR agency"),
        ("public relations and press", "knows tech journalists", "launch PR campaigns"),
    ),
    (
        ("need a good photographer", "headshots for the team", "product photos for the shop"),
        (
            "photography (portraits, products)",
            "corporate headshots",
            "product and event photographer",
        ),
    ),
    (
        (
            "looking for a CFO part-time",
            "need someone to build a financial model",
            "want help with fundraising numbers",
        ),
        ("fractional CFO", "financial modelling for startups", "board-ready financials"),
    ),
    (
        (
            "need a supplier for packaging",
            "looking for sustainable packaging",
            "our packaging costs are too high",
        ),
        ("packaging supplier", "eco-friendly packaging", "custom boxes and labels"),
    ),
    (
        (
            "need help with Google Ads",
            "ads are not converting",
            "looking for a performance marketer",
        ),
        ("paid search and Google Ads", "performance marketing", "runs ad campaigns that convert"),
    ),
    (
        ("want to export to the US", "need a US distributor", "looking for help with US customs"),
        (
            "import/export and customs",
            "US distribution network",
            "freight forwarding to North America",
        ),
    ),
    (
        (
            "need a data analyst",
            "want dashboards for the leadership team",
            "drowning in spreadsheets",
        ),
        ("data analytics and dashboards", "Power BI and SQL", "turns spreadsheets into reports"),
    ),
    (
        (
            "looking for a co-founder",
            "need a technical co-founder",
            "want a business partner for a new venture",
        ),
        (
            "looking to join a startup as co-founder",
            "experienced CTO open to new ventures",
            "serial entrepreneur",
        ),
    ),
    (
        (
            "need an interior designer",
            "renovating the restaurant",
            "want the office to feel less grey",
        ),
        ("interior design for offices and restaurants", "commercial interiors", "space planning"),
    ),
    (
        (
            "need someone to write our grant application",
            "looking for grant funding",
            "applying for an innovation grant",
        ),
        ("grant writing", "knows the innovation grant programmes", "nonprofit fundraising"),
    ),
    (
        (
            "want to improve our customer service",
            "too many support tickets",
            "looking for a helpdesk setup",
        ),
        ("customer support operations", "helpdesk and CRM setup", "call centre outsourcing"),
    ),
    (
        ("need a mobile app", "want an iOS and Android app", "looking for an app agency"),
        ("mobile apps (iOS, Android, Flutter)", "app development agency", "builds mobile apps"),
    ),
    (
        (
            "looking for a caterer for our event",
            "need catering for 80 people",
            "company party next month",
        ),
        (
            "catering for corporate events",
            "event catering",
            "runs a restaurant with private dining",
        ),
    ),
    (
        (
            "need help with a board presentation",
            "want to get better at pitching",
            "nervous about public speaking",
        ),
        ("presentation and pitch coaching", "public speaking coach", "storytelling workshops"),
    ),
    (
        (
            "need an IT support company",
            "our computers keep breaking",
            "looking for managed IT services",
        ),
        ("managed IT services", "IT support for small offices", "network and laptop support"),
    ),
    (
        ("looking for a video production team", "want a brand video", "need explainer videos"),
        ("video production", "brand films and explainer videos", "video editing and animation"),
    ),
    (
        ("need help with immigration paperwork", "hiring from abroad", "visa for a new engineer"),
        ("immigration lawyer", "work visas and relocation", "relocation services"),
    ),
    (
        (
            "want to sell the business in a few years",
            "thinking about succession",
            "need a valuation",
        ),
        (
            "mergers and acquisitions advisor",
            "business valuations",
            "helps owners sell their company",
        ),
    ),
    (
        (
            "need insurance for the business",
            "our liability cover is up for renewal",
            "looking for cyber insurance",
        ),
        ("business insurance broker", "liability and cyber insurance", "insurance for small firms"),
    ),
    (
        ("looking for a translator", "need our site in Spanish", "translating contracts"),
        ("translation (Spanish, French, German)", "localization services", "certified translator"),
    ),
    (
        ("want to reduce our energy bill", "thinking about solar panels", "need an energy audit"),
        ("solar installation", "energy audits for buildings", "renewable energy consulting"),
    ),
    (
        (
            "need a copywriter",
            "our website copy is weak",
            "looking for someone to write our newsletter",
        ),
        ("copywriting and content", "writes newsletters and blogs", "B2B content writer"),
    ),
    (
        ("want to introduce a CRM", "need a better sales pipeline", "looking for Salesforce help"),
        (
            "CRM implementation (Salesforce, HubSpot)",
            "sales operations consultant",
            "sets up sales pipelines",
        ),
    ),
    (
        (
            "need a warehouse",
            "looking for fulfilment for our online shop",
            "storage space for inventory",
        ),
        ("warehousing and fulfilment", "e-commerce fulfilment", "third-party logistics"),
    ),
    (
        ("looking for board members", "need an advisory board", "want an independent director"),
        ("experienced board member", "serves on advisory boards", "non-executive director"),
    ),
    (
        ("want to train our managers", "need leadership training", "new team leads need coaching"),
        ("leadership training", "management workshops", "team coaching"),
    ),
)

TAGS = (
    "alumni",
    "golf",
    "board",
    "vip",
    "podcast",
    "speaker",
    "investor",
    "mentor",
    "local",
    "chamber",
    "book-club",
    "volunteer",
    "conference",
    "startup",
    "family-business",
)

PERSONAL = (
    "two kids, loves sailing",
    "runs marathons",
    "big football fan",
    "just had a baby",
    "collects vinyl records",
    "plays in a jazz band",
    "dog person (two labradors)",
    "training for a triathlon",
    "grows tomatoes",
    "reads a book a week",
    "learning Japanese",
    "daughter starts university this year",
    "loves hiking in the Alps",
    "keen chess player",
)

EVENT_NAMES = (
    "Chamber of Commerce mixer",
    "SaaS Founders Summit",
    "Fintech Week",
    "Small Business Expo",
    "Women in Leadership breakfast",
    "Regional Manufacturing Forum",
    "Marketing Meetup",
    "Startup Pitch Night",
    "Real Estate Networking Lunch",
    "Healthcare Innovation Day",
    "Sustainability Conference",
    "Rotary lunch",
    "Tech Breakfast",
    "Export Forum",
)

TARGET_CRITERIA = (
    "industry=fintech role=prospect",
    "industry=software",
    "role=referral_source",
    "industry=manufacturing role=client",
    "industry=healthcare",
    "role=partner",
)

# Interaction notes; {topic} is one of the person's needs or offers when known.
NOTES = {
    "meeting": ("quarterly review", "walked through the roadmap", "planning session: {topic}"),
    "coffee": (
        "coffee, caught up on family",
        "coffee, talked about {topic}",
        "coffee near their office",
    ),
    "call": ("quick call about {topic}", "check-in call", "call: they asked about {topic}"),
    "email": ("sent a follow-up", "emailed notes from our meeting", "email about {topic}"),
    "message": (
        "messaged congratulations",
        "short message to say hi",
        "asked how {topic} is going",
    ),
    "event_chat": (
        "chatted at the event",
        "met again at the mixer",
        "talked about {topic} at the event",
    ),
    "shared_article": (
        "shared an article on {topic}",
        "sent a podcast episode",
        "shared a case study",
    ),
    "recommended_book": (
        "recommended a book on {topic}",
        "recommended 'Give and Take'",
        "book tip",
    ),
    "introduction": ("introduced them to someone who helps with {topic}", "made an intro"),
    "referral": ("sent them a referral", "passed on a lead about {topic}"),
    "gift": ("sent a thank-you gift", "holiday card and chocolates"),
    "help": ("helped with {topic}", "reviewed their deck", "gave feedback on their pricing"),
    "other": ("bumped into them downtown", "lunch"),
}

PITCH_NOTES = ("pitched our new service", "sent a proposal", "followed up on the proposal", "demo")
COMMITMENTS = (
    "send the article on {topic}",
    "introduce them to someone for {topic}",
    "send a proposal",
    "share my notes from the conference",
    "review their pitch deck",
    "send the book recommendation",
    "call back about {topic}",
    "send a reference letter",
)
DEAL_TITLES = (
    "consulting engagement",
    "annual retainer",
    "workshop",
    "project phase 1",
    "project phase 2",
    "audit",
    "strategy sprint",
    "implementation",
    "training day",
    "renewal",
)
