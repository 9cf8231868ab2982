#include "rowfiltermodel.h"

#include <functional>

namespace tf {

RowFilterModel::RowFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    connect(this, &QAbstractItemModel::rowsInserted, this, &RowFilterModel::updateCount);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &RowFilterModel::updateCount);
    connect(this, &QAbstractItemModel::modelReset, this, &RowFilterModel::updateCount);
    connect(this, &QAbstractItemModel::layoutChanged, this, &RowFilterModel::updateCount);
    // A new source (or one that reset) may name its roles differently. Only mark them: this runs
    // inside the proxy's reset, where no other signal may be emitted.
    connect(this, &QAbstractProxyModel::sourceModelChanged, this, [this] { m_rolesDirty = true; });
    connect(this, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_rolesDirty = true; });
}

void RowFilterModel::setSourceModel(QAbstractItemModel *source)
{
    QSortFilterProxyModel::setSourceModel(source);
    applySort(); // the sort role is looked up by name in the new source
    updateCount();
}

void RowFilterModel::updateCount()
{
    if (m_countFrozen || rowCount() == m_lastCount)
        return;
    m_lastCount = rowCount();
    Q_EMIT countChanged();
}

void RowFilterModel::resolveRoles() const
{
    m_rolesDirty = false;
    m_textRole = m_sideRole = m_pnlRole = -1;
    QAbstractItemModel *source = sourceModel();
    if (!source)
        return;
    const QHash<int, QByteArray> names = source->roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        const QString name = QString::fromUtf8(it.value());
        if (name == m_textRoleName)
            m_textRole = it.key();
        if (name == u"side")
            m_sideRole = it.key();
        if (name == m_pnlRoleName)
            m_pnlRole = it.key();
    }
}

void RowFilterModel::refilter(const std::function<void()> &change)
{
    m_countFrozen = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 10, 0)
    beginFilterChange(); // invalidateFilter() is deprecated from 6.10 on
    change();
    endFilterChange(QSortFilterProxyModel::Direction::Rows);
#else
    change();
    invalidateRowsFilter();
#endif
    m_countFrozen = false;
    updateCount();
}

void RowFilterModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    refilter([&] { m_filterText = text; });
    Q_EMIT filterTextChanged();
}

void RowFilterModel::setTextRoleName(const QString &name)
{
    if (name == m_textRoleName)
        return;
    refilter([&] {
        m_textRoleName = name;
        m_rolesDirty = true;
    });
    Q_EMIT textRoleNameChanged();
}

void RowFilterModel::setSideFilter(SideFilter filter)
{
    if (filter == m_sideFilter)
        return;
    refilter([&] { m_sideFilter = filter; });
    Q_EMIT sideFilterChanged();
}

void RowFilterModel::setPnlFilter(PnlFilter filter)
{
    if (filter == m_pnlFilter)
        return;
    refilter([&] { m_pnlFilter = filter; });
    Q_EMIT pnlFilterChanged();
}

void RowFilterModel::setPnlRoleName(const QString &name)
{
    if (name == m_pnlRoleName)
        return;
    refilter([&] {
        m_pnlRoleName = name;
        m_rolesDirty = true;
    });
    Q_EMIT pnlRoleNameChanged();
}

void RowFilterModel::setSortRoleName(const QString &name)
{
    if (name == m_sortRoleName)
        return;
    m_sortRoleName = name;
    applySort();
    Q_EMIT sortRoleNameChanged();
}

void RowFilterModel::setSortOrder(Qt::SortOrder order)
{
    if (order == m_sortOrder)
        return;
    m_sortOrder = order;
    applySort();
    Q_EMIT sortOrderChanged();
}

void RowFilterModel::toggleSort(const QString &roleName)
{
    if (roleName == m_sortRoleName) {
        setSortOrder(m_sortOrder == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder);
        return;
    }
    setSortOrder(Qt::AscendingOrder);
    setSortRoleName(roleName);
}

void RowFilterModel::applySort()
{
    int role = -1;
    if (sourceModel() && !m_sortRoleName.isEmpty())
        role = sourceModel()->roleNames().key(m_sortRoleName.toUtf8(), -1);
    if (role < 0) {
        sort(-1); // the source's own order
        return;
    }
    setSortRole(role);
    sort(0, m_sortOrder);
}

QVariantMap RowFilterModel::get(int row) const
{
    QVariantMap map;
    if (row < 0 || row >= rowCount())
        return map;
    const QModelIndex i = index(row, 0);
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        map.insert(QString::fromUtf8(it.value()), data(i, it.key()));
    return map;
}

int RowFilterModel::sourceRow(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    return mapToSource(index(row, 0)).row();
}

bool RowFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_rolesDirty)
        resolveRoles();
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_filterText.isEmpty() && m_textRole >= 0
        && !i.data(m_textRole).toString().contains(m_filterText, Qt::CaseInsensitive))
        return false;
    if (m_sideFilter != AllSides && m_sideRole >= 0) {
        const QString side = i.data(m_sideRole).toString();
        const QLatin1String wanted(m_sideFilter == BuysOnly ? "buy" : "sell");
        if (side.compare(wanted, Qt::CaseInsensitive) != 0)
            return false;
    }
    if (m_pnlFilter != AllPnl && m_pnlRole >= 0) {
        const QVariant pnl = i.data(m_pnlRole);
        if (!pnl.isValid())
            return false;
        const double value = pnl.toDouble();
        if (m_pnlFilter == Winners ? !(value > 0) : !(value < 0))
            return false;
    }
    return true;
}

} // namespace tf
