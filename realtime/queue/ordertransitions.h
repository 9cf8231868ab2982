#pragma once

#include "order.h"

#include <array>

namespace tf {

// Every order state, in declaration order.
inline constexpr std::array<Order::State, 8> allOrderStates()
{
    using S = Order::State;
    return {S::Queued, S::Sending, S::Accepted, S::CancelRequested, S::Filled, S::Canceled, S::Rejected, S::Failed};
}

// Filled, Canceled and Rejected: nothing moves an order out of them.
bool isTerminalState(Order::State state);

// Whether an order may move from `from` to `to`. The one place the allowed moves are written
// down (ordertransitions.cpp); OrderQueue refuses and logs everything else. Staying in the same
// state is not a transition and is not listed.
bool isTransitionAllowed(Order::State from, Order::State to);

// The states `from` may move to, in declaration order (for docs, tests and diagnostics).
QList<Order::State> allowedNextStates(Order::State from);

} // namespace tf
