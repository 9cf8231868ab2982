#pragma once

// QML registration of the list models (models/ is Qt Core only and knows nothing of QML). The
// concrete models are creatable so QtQuickTests and previews can build real ones; the app hands
// its own instances in through `app`. Enums (OrderModel.Filled, PositionModel.Up,
// RowFilterModel.Winners...) come with each type.

#include "keyedrowmodel.h"
#include "ordermodel.h"
#include "positionmodel.h"
#include "presencemodel.h"
#include "quotemodel.h"
#include "rowfiltermodel.h"
#include "trademodel.h"

#include <QAbstractListModel>
#include <QAbstractProxyModel>
#include <QSortFilterProxyModel>
#include <QtQml/qqml.h>

namespace tf::qmltypes {

// Qt's model bases, anonymously, so qmlcachegen and qmllint know the models' inherited signals and
// properties (dataChanged, sourceModel…). Qt 6.4's QML modules do not declare them.
struct QAbstractItemModelForeign
{
    Q_GADGET
    QML_FOREIGN(QAbstractItemModel)
    QML_ANONYMOUS
};

struct QAbstractListModelForeign
{
    Q_GADGET
    QML_FOREIGN(QAbstractListModel)
    QML_ANONYMOUS
};

struct QAbstractProxyModelForeign
{
    Q_GADGET
    QML_FOREIGN(QAbstractProxyModel)
    QML_ANONYMOUS
};

struct QSortFilterProxyModelForeign
{
    Q_GADGET
    QML_FOREIGN(QSortFilterProxyModel)
    QML_ANONYMOUS
};

struct KeyedRowModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::KeyedRowModel)
    QML_ANONYMOUS
};

struct PositionModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::PositionModel)
    QML_NAMED_ELEMENT(PositionModel)
};

struct TradeModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::TradeModel)
    QML_NAMED_ELEMENT(TradeModel)
};

struct QuoteModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::QuoteModel)
    QML_NAMED_ELEMENT(QuoteModel)
};

struct PresenceModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::PresenceModel)
    QML_NAMED_ELEMENT(PresenceModel)
};

struct OrderModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::OrderModel)
    QML_NAMED_ELEMENT(OrderModel)
};

struct RowFilterModelForeign
{
    Q_GADGET
    QML_FOREIGN(tf::RowFilterModel)
    QML_NAMED_ELEMENT(RowFilterModel)
};

} // namespace tf::qmltypes
