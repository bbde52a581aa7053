### Meldingane i vedtak, saksstatus og fakturaer på nynorsk.
### Kvar melding har som nøkkel koden til eit funn, `missing-<item>` for det ein
### søknad manglar, eller id-en ein regel oppgjev (`message:`). `{ $namn }` er eit
### argument regelen eller motoren gjev; ein veljar `{ $n -> … }` vel variant
### etter tal (one, other) eller ord. Endre ordlyden her; ingen skript vert endra.
### `hds check` viser ei melding som manglar på eit språk, og ei som ikkje vert brukt.

## Kompletthet (rules/helsedataservice/completeness.rhai og forvaltarane sine)

received-before-service-opened = motteken { $received_on }, før Helsedataservice opna { $opened_on }; kontroller submitted_at

missing-description = Prosjektskildringa (project.description) manglar eller er tom; skildre kort kva opplysningar de treng

missing-purpose = { $problem ->
    [unknown] Føremålet '{ $purpose }' (project.purpose) finst ikkje i føremålslista; oppgje eitt av: { $purposes }
   *[blank] Føremålet (project.purpose) manglar; oppgje eitt av: { $purposes }
}

missing-sources = { $problem ->
    [unknown] Kjelda '{ $source }' finst ikkje i katalogen; kontroller id-en på helsedata.no
   *[none] Søknaden oppgjev inga datakjelde; oppgje minst éi
}

source-listed-twice = { $source } er ført opp { $times ->
    [2] to gonger
   *[other] { $times } gonger
}; oppgje kvar kjelde éin gong, med alle variablar, ICD-10-kodar og år i same oppføring

missing-applicant = { $problem ->
    [email] E-postadressa '{ $email }' (applicant.email) ser ikkje ut som ei e-postadresse
   *[incomplete] Namnet og e-postadressa til søkjaren (applicant.name og applicant.email) må oppgjevast
}

missing-sample_table = Søknaden manglar vedlegg med tabellskisse (sample_table); legg ved ei tabellskisse (Excel eller liknande) med namngjevne rader og kolonnar

missing-variables = { $accepted ->
    [variable-list] { $source } har ingen variablar eller ICD-10-kodar, og inga variabelliste (variable_list) er lagd ved; oppgje variablane de ønskjer
   *[variable-list-or-sample-table] { $source } har ingen variablar eller ICD-10-kodar, og verken variabelliste (variable_list) eller tabellskisse (sample_table) er lagd ved; oppgje variablane de ønskjer
}

missing-icd10 = { $problem ->
    [cancer-sites] { $source } treng krefttypane som ICD-10-kodar i kapitla { $from }-{ $to }
   *[malformed] ICD-10-koden '{ $code }' for kjelda '{ $source }' er feilforma; venta ein bokstav og to siffer, eventuelt punktum og eitt eller to teikn til (A40, A41.9, C50.11), eller eit intervall av slike kategoriar innanfor same bokstav (C18-C20)
}

icd10-normalised = ICD-10-koden '{ $code }' for { $source } vert lesen som { $normal }

icd10-outside-cancer-chapters = ICD-10-koden '{ $code }'{ $rewritten ->
    [yes] {" "}(skriven '{ $written }')
   *[no] {""}
} for { $source } er utanfor kreftkapitla { $from }-{ $to }

## Føremål og tilgang (rules/helsedataservice/eligibility.rhai)

purpose-not-permitted = Føremålet '{ $purpose }' er ikkje tillate for { $source }; tillatne føremål: { $permitted }

linking-prefer-identifiable = Kopling av aggregerte data frå fleire kjelder aukar risikoen for at personar kan identifiserast; skjemaet for personidentifiserbare data passar som regel betre

linking-longer-processing = { $linked ->
    [yes] Kopla data tek lengre tid: fristen er { $linked_days } virkedagar i staden for { $days }
   *[no] Kopling av data frå fleire kjelder tek lengre tid ({ $linked_days } virkedagar), men { $why }, så fristen er framleis { $days }
}

linking-single-source = Kopling er ønskt, men { $why }; fristen er framleis { $days ->
    [one] { $days } virkedag
   *[other] { $days } virkedagar
}

# Kvifor færre enn to kjelder vert kopla; `others` er ei liste av not-linked-source.
not-linked = { $processed_count ->
    [0] inga kjelde vert handsama her
   *[other] berre { $processed } vert handsama her
}{ $others_count ->
    [0] {""}
   *[other] {" "}({ $others })
}

not-linked-source = { $what ->
    [unknown] { $source } finst ikkje i katalogen
    [own-form] { $source } har eige skjema
   *[ineligible] { $source } kan ikkje brukast til dette føremålet
}

confidentiality-risk = { $problem ->
    [many-variables] { $source } ber om { $count } variablar (fleire enn { $max }); vurder å gruppere verdiar eller dele bestillinga i fleire tabellar
   *[geography-and-age] { $source } kombinerer detaljert geografi ({ $geography }) med eittårig alder ({ $age }); vurder å gruppere verdiar eller dele bestillinga i fleire tabellar
}

## Frist: grunngjevinga for ei delsak (rules/helsedataservice/deadline.rhai)

deadline-standard = ordinær frist: { $days ->
    [one] { $days } virkedag
   *[other] { $days } virkedagar
}

deadline-linked = kopling av data frå fleire kjelder ({ $sources }): { $days } virkedagar

deadline-not-linked = ordinær frist: { $days ->
    [one] { $days } virkedag
   *[other] { $days } virkedagar
}; kopling er ønskt, men { $why }

## Saksstatus: det klokka la merke til (hds status)

postponed-after-due = delsaka { $route } vart utsett { $day } (events[{ $index }]), etter datoen ho erstatta, { $replaced }: ei utsetjing bør avgjerast før fristen

delivered-late = delsaka { $route } vart levert { $on }, { $late ->
    [one] { $late } virkedag
   *[other] { $late } virkedagar
} etter fristen { $due }

# `changes` er ei liste av amendment-change.
amendment-restarts-clock = endringa av { $day } (events[{ $index }]) { $changes }: fristen startar på nytt, og søknaden vert rekna som motteken { $day }

amendment-change = { $what ->
    [adds] legg til { $sources }
    [removes] fjernar { $sources }
    [purpose] endrar føremålet frå { $from } til { $to }
    [data-kind] endrar typen data
    [linking-added] ber om kopling
    [linking-removed] ber ikkje lenger om kopling
   *[always] kvar endring startar fristen på nytt (case.amendment_restarts: always)
}

appeal-late = klaga på { $against ->
    [dismissal] avvisinga
   *[refusal] avslaget for delsaka { $route }
} kom inn { $day } (events[{ $index }]), etter siste klagedag, { $last_day }

event-ignored = events[{ $index }] endrar ingenting: { $reason ->
    [already-withdrawn] søknaden var alt trekt
    [already-dismissed] søknaden er alt avvist
    [no-appeal-pending] ingen klage er til handsaming
    [nothing-to-appeal] det finst ikkje noko avslag eller avvising å klage på som ikkje alt er påklaga
    [no-open-question] det er ikkje noko ope spørsmål å purre på
    [route-gone] delsaka høyrer ikkje lenger til søknaden slik han no lyder
   *[route-closed] delsaka er alt avslutta
}

## Saksstatus: kva som skal gjerast (hds status, `actions`)

action-preliminary-reply = send førebels svar innan { $due } (forvaltningslova § 11 a): ikkje noko svar eller utsetjing er registrert { $since ->
    [amendment] sidan endringa av { $from } som starta fristen på nytt
   *[received] sidan søknaden vart motteken { $from }
}, og svaret kan ikkje gjevast innan { $months ->
    [one] ein månad
   *[other] { $months } månader
}

action-deliver-or-postpone = delsaka { $route }: lever innan { $due }, eller utset med grunngjeving og ny dato ({ $late ->
    [0] { $left ->
        [one] { $left } virkedag
       *[other] { $left } virkedagar
    } att
   *[other] forseinka med { $late ->
        [one] { $late } virkedag
       *[other] { $late } virkedagar
    }
})

action-send-reminder = { $scope ->
    [route] spørsmålet av { $asked } i delsaka { $route }
   *[case] spørsmålet av { $asked }
} (events[{ $index }]) er ikkje svart på innan { $reply_by }: send ei purring

action-dismiss-or-follow-up = { $scope ->
    [route] spørsmålet av { $asked } i delsaka { $route }
   *[case] spørsmålet av { $asked }
} er ikkje svart på innan { $reply_by }, datoen purringa av { $reminded } (events[{ $reminder_index }]) gav: avvis søknaden eller følg opp

action-appeal-window = klage på { $against ->
    [dismissal] avvisinga
    [refusal] avslaget
   *[route] avslaget for delsaka { $route }
} av { $on } kan kome inn til og med { $due } (forvaltningslova § 29)

## Fakturaer (hds invoice)

price-missing = { $party }: ingen pris gjeld for ei linje på denne fakturaen ({ $rule }); beløpet er utelate, aldri gjetta
