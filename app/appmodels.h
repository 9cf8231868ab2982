#pragma once

namespace tf {

class OrderModel;
class PositionModel;
class PresenceModel;
class QuoteModel;
class TradeModel;

// The list models the views bind to. They live as long as the app (QML holds them from the
// start); a session fills them and clears them when it ends.
struct AppModels {
    PositionModel *positions = nullptr;
    TradeModel *trades = nullptr;
    QuoteModel *quotes = nullptr;
    PresenceModel *presence = nullptr;
    OrderModel *orders = nullptr;
};

} // namespace tf
