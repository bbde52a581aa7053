### The messages of decisions, case status and invoices in English.
### Each message is keyed by a finding's code, by `missing-<item>` for what an
### application lacks, or by the id a rule names (`message:`). `{ $name }` is an
### argument the rule or the engine gives; a selector `{ $n -> … }` picks a variant
### by number (one, other) or by word. Change the words here; no script changes.
### `hds check` lists a message missing in a language, and one nothing uses.

## Completeness (rules/helsedataservice/completeness.rhai and custodians')

received-before-service-opened = received on { $received_on }, before Helsedataservice opened on { $opened_on }; check submitted_at

missing-description = project.description is missing or blank; expected a brief description of the information needed

missing-purpose = { $problem ->
    [unknown] project.purpose '{ $purpose }' is not in the purpose vocabulary; expected one of: { $purposes }
   *[blank] project.purpose is missing; expected one of: { $purposes }
}

missing-sources = { $problem ->
    [unknown] source '{ $source }' is not in the catalog; check the id on helsedata.no
   *[none] the application lists no data source; expected at least one
}

source-listed-twice = { $source } is listed { $times ->
    [2] twice
   *[other] { $times } times
}; list each source once, with all its variables, ICD-10 codes and years in one entry

missing-applicant = { $problem ->
    [email] applicant.email '{ $email }' does not look like an e-mail address
   *[incomplete] applicant.name and applicant.email are required
}

missing-sample_table = no sample_table attachment; expected a sample table (Excel or similar) with labelled rows and columns

missing-variables = { $accepted ->
    [variable-list] { $source } lists no variables or ICD-10 codes and no variable_list is attached; expected the variables wanted
   *[variable-list-or-sample-table] { $source } lists no variables or ICD-10 codes, and neither a variable_list nor a sample_table is attached; expected the variables wanted
}

missing-icd10 = { $problem ->
    [cancer-sites] { $source } needs the cancer sites as ICD-10 codes in chapters { $from }-{ $to }
   *[malformed] ICD-10 code '{ $code }' for source '{ $source }' is malformed; expected a letter and two digits, optionally a dot and one or two more characters (A40, A41.9, C50.11), or a range of such categories within one letter (C18-C20)
}

icd10-normalised = ICD-10 code '{ $code }' for { $source } is read as { $normal }

icd10-outside-cancer-chapters = ICD-10 code '{ $code }'{ $rewritten ->
    [yes] {" "}(written '{ $written }')
   *[no] {""}
} for { $source } is outside the cancer chapters { $from }-{ $to }

## Eligibility (rules/helsedataservice/eligibility.rhai)

purpose-not-permitted = the purpose '{ $purpose }' is not permitted for { $source }; permitted purposes: { $permitted }

linking-prefer-identifiable = linking aggregated data from several sources raises the risk that people can be identified; the form for personally identifiable data is usually more appropriate

linking-longer-processing = { $linked ->
    [yes] linked data take longer: the deadline is { $linked_days } working days instead of { $days }
   *[no] linking data from several sources takes longer ({ $linked_days } working days), but { $why }, so the deadline stays { $days }
}

linking-single-source = linking is requested, but { $why }; the deadline stays { $days } working { $days ->
    [one] day
   *[other] days
}

# Why fewer than two sources are linked; `others` is a list of not-linked-source.
not-linked = { $processed_count ->
    [0] no source is processed here
   *[other] only { $processed } is processed here
}{ $others_count ->
    [0] {""}
   *[other] {" "}({ $others })
}

not-linked-source = { $what ->
    [unknown] { $source } is not in the catalog
    [own-form] { $source } has its own form
   *[ineligible] { $source } is not eligible
}

confidentiality-risk = { $problem ->
    [many-variables] { $source } asks for { $count } variables (more than { $max }); consider grouping values or splitting the request into several tables
   *[geography-and-age] { $source } combines fine geography ({ $geography }) with single-year age ({ $age }); consider grouping values or splitting the request into several tables
}

## Deadline: the reason of a route (rules/helsedataservice/deadline.rhai)

deadline-standard = standard deadline: { $days } working { $days ->
    [one] day
   *[other] days
}

deadline-linked = linking of data from several sources ({ $sources }): { $days } working days

deadline-not-linked = standard deadline: { $days } working { $days ->
    [one] day
   *[other] days
}; linking is requested, but { $why }
