//! Any list of work items (scenarios, case files) worked on by every core and handed
//! back in the order they came: the same output, byte for byte, as one thread
//! working through them.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// The number of threads to work on: one per core the process may use.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Gives each item of `items` to `work` on one of `workers` threads and each result
/// to `emit` on the caller's thread, in the order of `items`. At most `window` items
/// are taken ahead of the oldest result not yet handed back, so memory stays flat
/// however many items come. `items` is read by one thread at a time, in order.
/// `emit` may stop the work early; nothing more is then taken. A panic in `work`
/// reaches the caller when its item's turn comes, as if one thread had done all
/// the work. With one worker, everything happens on the caller's thread.
pub fn map_in_order<I, R>(
    items: I,
    workers: usize,
    window: usize,
    work: impl Fn(I::Item) -> R + Sync,
    mut emit: impl FnMut(R) -> ControlFlow<()>,
) where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
{
    if workers <= 1 {
        for item in items {
            if emit(work(item)).is_break() {
                return;
            }
        }
        return;
    }
    let window = window.max(1);
    // The items and the number of the next one taken.
    let source = Mutex::new((items, 0usize));
    // How many results were handed back; a worker waits while it is a window ahead.
    let handed = (Mutex::new(0usize), Condvar::new());
    let stop = AtomicBool::new(false);
    let (results_tx, results_rx) = mpsc::channel::<(usize, std::thread::Result<R>)>();
    let panicked = std::thread::scope(|scope| {
        for _ in 0..workers {
            let results_tx = results_tx.clone();
            let (source, handed, stop, work) = (&source, &handed, &stop, &work);
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let taken = match source.lock() {
                    Ok(mut s) => {
                        let seq = s.1;
                        s.0.next().map(|item| {
                            s.1 += 1;
                            (seq, item)
                        })
                    }
                    Err(_) => None,
                };
                let Some((seq, item)) = taken else {
                    break;
                };
                if !wait_for_room(handed, stop, seq, window) {
                    break;
                }
                let result = catch_unwind(AssertUnwindSafe(|| work(item)));
                if results_tx.send((seq, result)).is_err() {
                    break;
                }
            });
        }
        drop(results_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        let mut panicked = None;
        'receiving: for (seq, result) in results_rx.iter() {
            pending.insert(seq, result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                if let Ok(mut n) = handed.0.lock() {
                    *n = next;
                }
                handed.1.notify_all();
                match result {
                    Ok(r) => {
                        if emit(r).is_break() {
                            break 'receiving;
                        }
                    }
                    Err(payload) => {
                        panicked = Some(payload);
                        break 'receiving;
                    }
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        // Wake the workers waiting for room so they see the stop, and let those
        // still working find no one listening.
        drop(handed.0.lock());
        handed.1.notify_all();
        drop(results_rx);
        panicked
    });
    if let Some(payload) = panicked {
        resume_unwind(payload);
    }
}

/// Waits until item `seq` is within `window` of the results handed back; `false`
/// when the work stopped meanwhile.
fn wait_for_room(
    handed: &(Mutex<usize>, Condvar),
    stop: &AtomicBool,
    seq: usize,
    window: usize,
) -> bool {
    let Ok(mut n) = handed.0.lock() else {
        return false;
    };
    while seq >= *n + window {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        n = match handed.1.wait(n) {
            Ok(n) => n,
            Err(_) => return false,
        };
    }
    !stop.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_items_whatever_the_threads() {
        for workers in [1, 2, 3, 8] {
            for window in [1, 2, 7, 1000] {
                let mut got = Vec::new();
                map_in_order(
                    0..500u64,
                    workers,
                    window,
                    |i| {
                        // Uneven work, so later items often finish first.
                        let spin = (i * 7919) % 13;
                        (0..spin * 1000).fold(i, |a, b| a ^ b)
                            ^ (0..spin * 1000).fold(0, |a, b| a ^ b)
                    },
                    |r| {
                        got.push(r);
                        ControlFlow::Continue(())
                    },
                );
                assert_eq!(
                    got,
                    (0..500).collect::<Vec<_>>(),
                    "{workers} workers, window {window}"
                );
            }
        }
    }

    #[test]
    fn stopping_early_takes_no_more_than_a_window_of_further_items() {
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let mut got = Vec::new();
        let items = (0..100_000).inspect(|_| {
            taken.fetch_add(1, Ordering::Relaxed);
        });
        map_in_order(
            items,
            4,
            16,
            |i| i,
            |r| {
                got.push(r);
                if r == 9 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(got, (0..10).collect::<Vec<_>>());
        assert!(
            taken.load(Ordering::Relaxed) <= 10 + 16 + 2 * 4,
            "{taken:?}"
        );
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller_after_the_results_before_it() {
        let mut got = Vec::new();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            map_in_order(
                0..50,
                3,
                8,
                |i| {
                    if i == 20 {
                        panic!("item 20");
                    }
                    i
                },
                |r| {
                    got.push(r);
                    ControlFlow::Continue(())
                },
            )
        }));
        assert!(outcome.is_err());
        assert_eq!(got, (0..20).collect::<Vec<_>>());
    }
}
