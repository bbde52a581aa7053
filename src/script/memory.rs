//! How many bytes the current thread holds, counted by the allocator, so a rule
//! call's memory can be bounded without walking its values.
//!
//! Rhai's own size limits measure a whole array or map again after every change to
//! it (each `push` walks everything pushed before), which makes a rule that builds
//! a list of n items take n² steps. Instead the sandbox lets containers grow, and
//! checks after every operation how much the thread has allocated since the call
//! began ([`crate::script::sandbox::Limits::max_call_memory`]). The count comes from
//! [`Counting`], the allocator the `hds` binary installs; without it the count
//! stays at zero and only the time budget bounds a call.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    /// Bytes allocated minus bytes freed on this thread.
    static NET: Cell<i64> = const { Cell::new(0) };
}

fn add(bytes: i64) {
    // A const-initialised cell without a destructor is always there, but a missing
    // one must not stop an allocation.
    let _ = NET.try_with(|n| n.set(n.get().wrapping_add(bytes)));
}

fn signed(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Bytes allocated minus bytes freed on this thread since it started (memory freed
/// here that another thread allocated makes it lower).
pub fn net_allocated() -> i64 {
    NET.try_with(Cell::get).unwrap_or(0)
}

/// A global allocator that counts, per thread, what the allocator `A` it wraps
/// hands out and takes back.
#[derive(Debug, Default)]
pub struct Counting<A>(pub A);

// SAFETY: every call is passed unchanged to `A`, which upholds GlobalAlloc's
// contract; the counting around it neither allocates nor touches the memory.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees about `layout` are passed on.
        let ptr = unsafe { self.0.alloc(layout) };
        if !ptr.is_null() {
            add(signed(layout.size()));
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.0.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(signed(layout.size()));
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, so by `A`, with `layout`.
        unsafe { self.0.dealloc(ptr, layout) };
        add(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` as the caller guarantees.
        let new = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            add(signed(new_size) - signed(layout.size()));
        }
        new
    }
}
