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

## Case status: what the clock noticed (hds status)

postponed-after-due = route { $route } was postponed on { $day } (events[{ $index }]), after the date it replaced, { $replaced }: a postponement should be decided before the due date

delivered-late = route { $route } was delivered on { $on }, { $late } working { $late ->
    [one] day
   *[other] days
} after it was due on { $due }

# `changes` is a list of amendment-change.
amendment-restarts-clock = the amendment of { $day } (events[{ $index }]) { $changes }: the clock restarts, the application counting as received on { $day }

amendment-change = { $what ->
    [adds] adds { $sources }
    [removes] removes { $sources }
    [purpose] changes the purpose from { $from } to { $to }
    [data-kind] changes the data kind
    [linking-added] asks for linking
    [linking-removed] no longer asks for linking
   *[always] every amendment restarts the clock (case.amendment_restarts: always)
}

appeal-late = the appeal against { $against ->
    [dismissal] the dismissal
   *[refusal] the refusal of route { $route }
} was received on { $day } (events[{ $index }]), after the last day to appeal, { $last_day }

event-ignored = events[{ $index }] changes nothing: { $reason ->
    [already-withdrawn] the application was already withdrawn
    [already-dismissed] the application is already dismissed
    [no-appeal-pending] no appeal is pending
    [nothing-to-appeal] there is no refusal or dismissal to appeal that is not already appealed
    [no-open-question] there is no open question to remind of
    [route-gone] the route is no longer a route of the application in force
   *[route-closed] the route is already closed
}

## Case status: what to do next (hds status, `actions`)

action-preliminary-reply = send a preliminary reply by { $due } (forvaltningsloven § 11 a): no reply or postponement recorded { $since ->
    [amendment] since the amendment of { $from } that restarted the clock
   *[received] since the application was received on { $from }
}, and the reply cannot be given within { $months ->
    [one] a month
   *[other] { $months } months
}

action-deliver-or-postpone = route { $route }: deliver by { $due }, or postpone with a reason and a new date ({ $late ->
    [0] { $left } working { $left ->
        [one] day
       *[other] days
    } left
   *[other] overdue by { $late } working { $late ->
        [one] day
       *[other] days
    }
})

action-send-reminder = { $scope ->
    [route] the question of { $asked } on route { $route }
   *[case] the question of { $asked }
} (events[{ $index }]) had no answer by { $reply_by }: send a reminder

action-dismiss-or-follow-up = { $scope ->
    [route] the question of { $asked } on route { $route }
   *[case] the question of { $asked }
} had no answer by { $reply_by }, the date the reminder of { $reminded } (events[{ $reminder_index }]) gave: dismiss the application or follow up

action-appeal-window = an appeal against { $against ->
    [dismissal] the dismissal
    [refusal] the refusal
   *[route] the refusal of route { $route }
} of { $on } may be received until { $due } (forvaltningsloven § 29)

## Invoices (hds invoice)

price-missing = { $party }: no price in force for a line of this invoice ({ $rule }); its amount is left out, never guessed
