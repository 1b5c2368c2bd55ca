/* Loaded before Debian's libfaketime 0.9.10: its timerfd_settime wrapper shifts every absolute
   deadline by the fake offset, even on CLOCK_MONOTONIC/CLOCK_BOOTTIME timers while
   FAKETIME_DONT_FAKE_MONOTONIC=1 leaves those clocks real. libdispatch arms its timers that way, so
   every Swift Task.sleep got an impossible (negative) deadline and never woke. This passes
   timerfd_settime straight to the kernel; with monotonic clocks left real, the deadlines are right. */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

int timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value) {
    return (int)syscall(SYS_timerfd_settime, fd, flags, new_value, old_value);
}

int timerfd_gettime(int fd, struct itimerspec *curr_value) {
    return (int)syscall(SYS_timerfd_gettime, fd, curr_value);
}
