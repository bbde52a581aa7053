### Meldingene i vedtak, saksstatus og fakturaer på bokmål (standardspråket).
### Hver melding har som nøkkel koden til et funn, `missing-<item>` for det en
### søknad mangler, eller id-en en regel oppgir (`message:`). `{ $navn }` er et
### argument regelen eller motoren gir; en velger `{ $n -> … }` velger variant
### etter tall (one, other) eller ord. Endre ordlyden her; ingen skript endres.
### `hds check` viser en melding som mangler på et språk, og en som ikke brukes.

## Kompletthet (rules/helsedataservice/completeness.rhai og forvalternes)

received-before-service-opened = mottatt { $received_on }, før Helsedataservice åpnet { $opened_on }; kontroller submitted_at

missing-description = Prosjektbeskrivelsen (project.description) mangler eller er tom; beskriv kort hvilke opplysninger dere trenger

missing-purpose = { $problem ->
    [unknown] Formålet '{ $purpose }' (project.purpose) finnes ikke i formålslisten; oppgi ett av: { $purposes }
   *[blank] Formålet (project.purpose) mangler; oppgi ett av: { $purposes }
}

missing-sources = { $problem ->
    [unknown] Kilden '{ $source }' finnes ikke i katalogen; kontroller id-en på helsedata.no
   *[none] Søknaden oppgir ingen datakilde; oppgi minst én
}

source-listed-twice = { $source } er oppført { $times ->
    [2] to ganger
   *[other] { $times } ganger
}; oppgi hver kilde én gang, med alle variabler, ICD-10-koder og år i samme oppføring

missing-applicant = { $problem ->
    [email] E-postadressen '{ $email }' (applicant.email) ser ikke ut som en e-postadresse
   *[incomplete] Søkerens navn og e-postadresse (applicant.name og applicant.email) må oppgis
}

missing-sample_table = Søknaden mangler vedlegg med tabellskisse (sample_table); legg ved en tabellskisse (Excel eller lignende) med navngitte rader og kolonner

missing-variables = { $accepted ->
    [variable-list] { $source } har ingen variabler eller ICD-10-koder, og ingen variabelliste (variable_list) er lagt ved; oppgi variablene dere ønsker
   *[variable-list-or-sample-table] { $source } har ingen variabler eller ICD-10-koder, og verken variabelliste (variable_list) eller tabellskisse (sample_table) er lagt ved; oppgi variablene dere ønsker
}

missing-icd10 = { $problem ->
    [cancer-sites] { $source } trenger krefttypene som ICD-10-koder i kapitlene { $from }-{ $to }
   *[malformed] ICD-10-koden '{ $code }' for kilden '{ $source }' er feilformet; forventet en bokstav og to sifre, eventuelt punktum og ett eller to tegn til (A40, A41.9, C50.11), eller et intervall av slike kategorier innen samme bokstav (C18-C20)
}

icd10-normalised = ICD-10-koden '{ $code }' for { $source } leses som { $normal }

icd10-outside-cancer-chapters = ICD-10-koden '{ $code }'{ $rewritten ->
    [yes] {" "}(skrevet '{ $written }')
   *[no] {""}
} for { $source } er utenfor kreftkapitlene { $from }-{ $to }

## Formål og tilgang (rules/helsedataservice/eligibility.rhai)

purpose-not-permitted = Formålet '{ $purpose }' er ikke tillatt for { $source }; tillatte formål: { $permitted }

linking-prefer-identifiable = Kobling av aggregerte data fra flere kilder øker risikoen for at personer kan identifiseres; skjemaet for personidentifiserbare data passer som regel bedre

linking-longer-processing = { $linked ->
    [yes] Koblede data tar lengre tid: fristen er { $linked_days } virkedager i stedet for { $days }
   *[no] Kobling av data fra flere kilder tar lengre tid ({ $linked_days } virkedager), men { $why }, så fristen er fortsatt { $days }
}

linking-single-source = Kobling er ønsket, men { $why }; fristen er fortsatt { $days ->
    [one] { $days } virkedag
   *[other] { $days } virkedager
}

# Hvorfor færre enn to kilder kobles; `others` er en liste av not-linked-source.
not-linked = { $processed_count ->
    [0] ingen kilde behandles her
   *[other] bare { $processed } behandles her
}{ $others_count ->
    [0] {""}
   *[other] {" "}({ $others })
}

not-linked-source = { $what ->
    [unknown] { $source } finnes ikke i katalogen
    [own-form] { $source } har eget skjema
   *[ineligible] { $source } kan ikke brukes til dette formålet
}

confidentiality-risk = { $problem ->
    [many-variables] { $source } ber om { $count } variabler (flere enn { $max }); vurder å gruppere verdier eller dele bestillingen i flere tabeller
   *[geography-and-age] { $source } kombinerer detaljert geografi ({ $geography }) med ettårig alder ({ $age }); vurder å gruppere verdier eller dele bestillingen i flere tabeller
}

## Frist: begrunnelsen for en delsak (rules/helsedataservice/deadline.rhai)

deadline-standard = ordinær frist: { $days ->
    [one] { $days } virkedag
   *[other] { $days } virkedager
}

deadline-linked = kobling av data fra flere kilder ({ $sources }): { $days } virkedager

deadline-not-linked = ordinær frist: { $days ->
    [one] { $days } virkedag
   *[other] { $days } virkedager
}; kobling er ønsket, men { $why }

## Saksstatus: det klokken la merke til (hds status)

postponed-after-due = delsaken { $route } ble utsatt { $day } (events[{ $index }]), etter datoen den erstattet, { $replaced }: en utsettelse bør avgjøres før fristen

delivered-late = delsaken { $route } ble levert { $on }, { $late ->
    [one] { $late } virkedag
   *[other] { $late } virkedager
} etter fristen { $due }

# `changes` er en liste av amendment-change.
amendment-restarts-clock = endringen av { $day } (events[{ $index }]) { $changes }: fristen starter på nytt, og søknaden regnes som mottatt { $day }

amendment-change = { $what ->
    [adds] legger til { $sources }
    [removes] fjerner { $sources }
    [purpose] endrer formålet fra { $from } til { $to }
    [data-kind] endrer typen data
    [linking-added] ber om kobling
    [linking-removed] ber ikke lenger om kobling
   *[always] hver endring starter fristen på nytt (case.amendment_restarts: always)
}

appeal-late = klagen på { $against ->
    [dismissal] avvisningen
   *[refusal] avslaget for delsaken { $route }
} kom inn { $day } (events[{ $index }]), etter siste klagedag, { $last_day }

event-ignored = events[{ $index }] endrer ingenting: { $reason ->
    [already-withdrawn] søknaden var allerede trukket
    [already-dismissed] søknaden er allerede avvist
    [no-appeal-pending] ingen klage er til behandling
    [nothing-to-appeal] det finnes ikke noe avslag eller avvisning å klage på som ikke allerede er påklaget
    [no-open-question] det er ikke noe åpent spørsmål å purre på
    [route-gone] delsaken hører ikke lenger til søknaden slik den nå lyder
   *[route-closed] delsaken er allerede avsluttet
}

## Saksstatus: hva som skal gjøres (hds status, `actions`)

action-preliminary-reply = send foreløpig svar innen { $due } (forvaltningsloven § 11 a): ingen svar eller utsettelse er registrert { $since ->
    [amendment] siden endringen av { $from } som startet fristen på nytt
   *[received] siden søknaden ble mottatt { $from }
}, og svaret kan ikke gis innen { $months ->
    [one] en måned
   *[other] { $months } måneder
}

action-deliver-or-postpone = delsaken { $route }: lever innen { $due }, eller utsett med begrunnelse og ny dato ({ $late ->
    [0] { $left ->
        [one] { $left } virkedag
       *[other] { $left } virkedager
    } igjen
   *[other] forsinket med { $late ->
        [one] { $late } virkedag
       *[other] { $late } virkedager
    }
})

action-send-reminder = { $scope ->
    [route] spørsmålet av { $asked } i delsaken { $route }
   *[case] spørsmålet av { $asked }
} (events[{ $index }]) er ikke besvart innen { $reply_by }: send en purring

action-dismiss-or-follow-up = { $scope ->
    [route] spørsmålet av { $asked } i delsaken { $route }
   *[case] spørsmålet av { $asked }
} er ikke besvart innen { $reply_by }, datoen purringen av { $reminded } (events[{ $reminder_index }]) ga: avvis søknaden eller følg opp

action-appeal-window = klage på { $against ->
    [dismissal] avvisningen
    [refusal] avslaget
   *[route] avslaget for delsaken { $route }
} av { $on } kan komme inn til og med { $due } (forvaltningsloven § 29)

## Fakturaer (hds invoice)

price-missing = { $party }: ingen pris gjelder for en linje på denne fakturaen ({ $rule }); beløpet er utelatt, aldri gjettet
