//! Any text as a calendar file, alone and extending the national calendar: never a
//! panic; a calendar that loads answers working-day questions without one either.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let norway = include_str!("../../calendars/norway.yaml");
    let files = vec![
        ("norway".to_string(), "calendars/norway.yaml".to_string(), norway.to_string()),
        ("fuzzed".to_string(), "calendars/fuzzed.yaml".to_string(), text.to_string()),
    ];
    if let Ok(set) = hds::calendar::CalendarSet::load(&files) {
        if let Some(cal) = set.get("fuzzed") {
            let (first, _) = cal.years();
            if let Some(from) = chrono::NaiveDate::from_ymd_opt(first, 1, 1) {
                if let Ok(due) = cal.add_working_days(from, 60) {
                    assert_eq!(cal.working_days_between(from, due).ok(), Some(60));
                }
            }
        }
    }
});
