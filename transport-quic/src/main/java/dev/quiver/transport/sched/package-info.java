/**
 * The fair scheduler: {@link dev.quiver.transport.sched.FairScheduler} decides, whenever a path can take more
 * bytes, which logical stream writes next and how much (weighted deficit round robin in bytes, strict priority
 * between classes). Owned by the connection's event loop.
 */
package dev.quiver.transport.sched;
