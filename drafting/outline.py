"""The starter outline of the Concept: the sections a state policy concept usually has.

The text is a neutral scaffold for the Working Group to replace; it takes no position.
"""

CONCEPT_TITLE = "Concept of state policy in interethnic relations of the Republic of Kazakhstan"

STARTER_OUTLINE = [
    (
        "General provisions",
        "",
        [
            (
                "Purpose and scope of the Concept",
                "This Concept sets out the vision, principles and main directions of state policy in interethnic "
                "relations. It is prepared by the Working Group created by direction of the President of the "
                "Republic of Kazakhstan and coordinated by the Kazakhstan Institute for Strategic Studies.",
            ),
            (
                "Legal and policy basis",
                "- The Constitution of the Republic of Kazakhstan\n"
                "- The Address of the President “Constructive Public Dialogue – the Basis of Stability and Prosperity "
                "of Kazakhstan”\n- *Further acts to be listed by the Working Group.*",
            ),
        ],
    ),
    (
        "Analysis of the current state",
        "*To be drafted by the Working Group: the state of interethnic relations, "
        "achievements of previous years, and the new realities the policy must answer.*",
        [],
    ),
    ("Goals and objectives", "*To be drafted: the goal of the policy and the objectives that serve it.*", []),
    ("Principles", "*To be drafted: the constitutional and legal principles that regulate interethnic relations.*", []),
    ("Main directions", "*To be drafted: the main directions of the policy.*", []),
    (
        "Implementation mechanisms",
        "*To be drafted: institutions, programmes, dialogue with civil society, monitoring and feedback.*",
        [],
    ),
    ("Expected results", "*To be drafted: the results by which the policy's effectiveness is judged.*", []),
]
