#pragma once

#include <QSortFilterProxyModel>

namespace tf {

// Filtering and header-click sorting for any Trading Floor list model, bindable from QML:
//
//   RowFilterModel { sourceModel: positions; filterText: search.text; pnlFilter: RowFilterModel.Winners
//                    sortRoleName: "unrealizedPnl"; sortOrder: Qt.DescendingOrder }
//
// Filters combine (all must accept); a filter whose role the source does not have accepts every
// row. Sorting is QSortFilterProxyModel's own, kept live under updates (dynamicSortFilter); an
// empty sortRoleName shows the source's order.
class RowFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(QString textRoleName READ textRoleName WRITE setTextRoleName NOTIFY textRoleNameChanged)
    Q_PROPERTY(SideFilter sideFilter READ sideFilter WRITE setSideFilter NOTIFY sideFilterChanged)
    Q_PROPERTY(PnlFilter pnlFilter READ pnlFilter WRITE setPnlFilter NOTIFY pnlFilterChanged)
    Q_PROPERTY(QString pnlRoleName READ pnlRoleName WRITE setPnlRoleName NOTIFY pnlRoleNameChanged)
    Q_PROPERTY(QString sortRoleName READ sortRoleName WRITE setSortRoleName NOTIFY sortRoleNameChanged)
    Q_PROPERTY(Qt::SortOrder sortOrder READ sortOrder WRITE setSortOrder NOTIFY sortOrderChanged)

public:
    enum SideFilter { AllSides, BuysOnly, SellsOnly };
    Q_ENUM(SideFilter)
    enum PnlFilter { AllPnl, Winners, Losers }; // Winners: P&L > 0, Losers: P&L < 0
    Q_ENUM(PnlFilter)

    explicit RowFilterModel(QObject *parent = nullptr);

    int count() const { return rowCount(); }
    // Also the `sourceModel` property's setter: applies the sort once the source is in place.
    void setSourceModel(QAbstractItemModel *source) override;

    // Case-insensitive substring match on the text role (default "symbol"); empty = all rows.
    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    QString textRoleName() const { return m_textRoleName; }
    void setTextRoleName(const QString &name);

    // On the "side" role ("buy"/"sell", any case).
    SideFilter sideFilter() const { return m_sideFilter; }
    void setSideFilter(SideFilter filter);

    // On the P&L role (default "unrealizedPnl"); rows with an undefined P&L are neither.
    PnlFilter pnlFilter() const { return m_pnlFilter; }
    void setPnlFilter(PnlFilter filter);
    QString pnlRoleName() const { return m_pnlRoleName; }
    void setPnlRoleName(const QString &name);

    QString sortRoleName() const { return m_sortRoleName; }
    void setSortRoleName(const QString &name);
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    void setSortOrder(Qt::SortOrder order);
    // A header click: the same role flips the order, another role sorts ascending by it.
    Q_INVOKABLE void toggleSort(const QString &roleName);

    // All roles of one (proxy) row by role name, like the source models' get().
    Q_INVOKABLE QVariantMap get(int row) const;
    // The source row behind a proxy row, or -1.
    Q_INVOKABLE int sourceRow(int row) const;

Q_SIGNALS:
    void countChanged();
    void filterTextChanged();
    void textRoleNameChanged();
    void sideFilterChanged();
    void pnlFilterChanged();
    void pnlRoleNameChanged();
    void sortRoleNameChanged();
    void sortOrderChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void resolveRoles() const;
    void applySort();
    void updateCount();
    void refilter(const std::function<void()> &change);

    QString m_filterText;
    QString m_textRoleName = QStringLiteral("symbol");
    SideFilter m_sideFilter = AllSides;
    PnlFilter m_pnlFilter = AllPnl;
    QString m_pnlRoleName = QStringLiteral("unrealizedPnl");
    QString m_sortRoleName;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

    // Resolved lazily from the source's roleNames() (never while the proxy is resetting); -1 when
    // the source lacks the role.
    mutable bool m_rolesDirty = true;
    mutable int m_textRole = -1;
    mutable int m_sideRole = -1;
    mutable int m_pnlRole = -1;
    int m_lastCount = 0;
    bool m_countFrozen = false; // a filter change in progress: one countChanged at its end
};

} // namespace tf
