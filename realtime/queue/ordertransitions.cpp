#include "ordertransitions.h"

#include <algorithm>

namespace tf {

namespace {

using S = Order::State;

struct Transition {
    S from;
    S to;
};

// The whole state machine. Moves made by the exchange (it reports an order we had not confirmed
// yet, e.g. the reply to our insert was lost but the realtime echo arrived) are allowed from every
// non-terminal state: the server is the authority on what happened to an order.
constexpr Transition kTransitions[] = {
    // Local delivery.
    {S::Queued, S::Sending},          // the sender picked it
    {S::Sending, S::Queued},          // the attempt failed, or the app died mid-send: send again
    {S::Sending, S::Accepted},        // the exchange confirmed the insert
    {S::Sending, S::Rejected},        // the exchange refused it (validation): do not resend
    {S::Sending, S::Failed},          // retries exhausted
    {S::Failed, S::Queued},           // the trader pressed Retry
    // Cancels. Never sent → canceled here; may be at the exchange → ask the exchange.
    {S::Queued, S::Canceled},
    {S::Failed, S::Canceled},
    {S::Queued, S::CancelRequested},
    {S::Sending, S::CancelRequested},
    {S::Failed, S::CancelRequested},
    {S::Accepted, S::CancelRequested},
    {S::CancelRequested, S::Canceled}, // confirmed by the exchange, or it proved never to have arrived
    {S::CancelRequested, S::Accepted}, // the exchange refused the cancel; the order still works
    // Reported by the exchange.
    {S::Queued, S::Accepted},
    {S::Queued, S::Filled},
    {S::Queued, S::Rejected},
    {S::Sending, S::Filled},
    {S::Sending, S::Canceled},
    {S::Failed, S::Accepted},
    {S::Failed, S::Filled},
    {S::Failed, S::Rejected},
    {S::Accepted, S::Filled},
    {S::Accepted, S::Canceled},
    {S::Accepted, S::Rejected},
    {S::CancelRequested, S::Filled}, // the fill won the race with the cancel
    {S::CancelRequested, S::Rejected},
};

} // namespace

bool isTerminalState(Order::State state)
{
    return state == S::Filled || state == S::Canceled || state == S::Rejected;
}

bool isTransitionAllowed(Order::State from, Order::State to)
{
    return std::any_of(std::begin(kTransitions), std::end(kTransitions),
                       [=](const Transition &t) { return t.from == from && t.to == to; });
}

QList<Order::State> allowedNextStates(Order::State from)
{
    QList<Order::State> states;
    for (Order::State to : allOrderStates()) {
        if (isTransitionAllowed(from, to))
            states.append(to);
    }
    return states;
}

} // namespace tf
