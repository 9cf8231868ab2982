#pragma once

#include "order.h"

#include <QSqlRecord>
#include <QString>

namespace tf::queuerow {

// The columns OrderQueue selects from the orders table, in the order orderFromRow() reads them.
const QString &columns();

// One row of the orders table (values in columns() order) as an Order. Pure, so it can be tested
// and fuzzed with whatever SQLite's dynamic typing lets a damaged or edited file hold: text in a
// number column, blobs, NULLs, missing columns. A value that does not read as its column's type
// gives the field's default; an unknown state shows the order as Failed (visible, never hidden).
Order orderFromRow(const QSqlRecord &row);

} // namespace tf::queuerow
