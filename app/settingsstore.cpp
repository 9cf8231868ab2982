#include "settingsstore.h"

#include "applogging.h"
#include "launchoptions.h"

#include <QSettings>

namespace tf {

SettingsStore::SettingsStore(QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    if (!m_settings) {
        m_settings = new QSettings;
        m_ownsSettings = true;
    }
}

SettingsStore::~SettingsStore()
{
    if (m_ownsSettings)
        delete m_settings;
}

QString SettingsStore::serverUrl() const
{
    return m_settings->value(QLatin1String(SettingsKeys::Url)).toString();
}

QString SettingsStore::anonKey() const
{
    return m_settings->value(QLatin1String(SettingsKeys::AnonKey)).toString();
}

QString SettingsStore::email() const
{
    return m_settings->value(QLatin1String(SettingsKeys::Email)).toString();
}

bool SettingsStore::demo() const
{
    return m_settings->value(QLatin1String(SettingsKeys::Demo), true).toBool();
}

QString SettingsStore::feedMode() const
{
    const QString saved = m_settings->value(QLatin1String(SettingsKeys::Feed)).toString();
    return feedModeFromName(saved) ? saved : feedModeName(FeedMode::PostgresChanges);
}

bool SettingsStore::confirmOrders() const
{
    return m_settings->value(QLatin1String(SettingsKeys::ConfirmOrders), true).toBool();
}

void SettingsStore::setServerUrl(const QString &url)
{
    if (url.trimmed() == serverUrl())
        return;
    write(SettingsKeys::Url, url.trimmed());
    Q_EMIT serverUrlChanged();
}

void SettingsStore::setAnonKey(const QString &key)
{
    if (key.trimmed() == anonKey())
        return;
    write(SettingsKeys::AnonKey, key.trimmed());
    Q_EMIT anonKeyChanged();
}

void SettingsStore::setEmail(const QString &email)
{
    if (email.trimmed() == this->email())
        return;
    write(SettingsKeys::Email, email.trimmed());
    Q_EMIT emailChanged();
}

void SettingsStore::setDemo(bool demo)
{
    if (demo == this->demo())
        return;
    write(SettingsKeys::Demo, demo);
    Q_EMIT demoChanged();
}

void SettingsStore::setFeedMode(const QString &mode)
{
    if (!feedModeFromName(mode)) {
        qCWarning(lcAppSettings) << "ignoring unknown feed mode" << mode << "(postgres_changes or broadcast)";
        return;
    }
    if (mode == feedMode())
        return;
    write(SettingsKeys::Feed, mode);
    Q_EMIT feedModeChanged();
}

void SettingsStore::setConfirmOrders(bool confirm)
{
    if (confirm == confirmOrders())
        return;
    write(SettingsKeys::ConfirmOrders, confirm);
    Q_EMIT confirmOrdersChanged();
}

void SettingsStore::write(const char *key, const QVariant &value)
{
    const QString name = QLatin1String(key);
    m_settings->setValue(name, value);
    m_settings->sync(); // a crash right after the change must not lose it
    if (m_settings->status() != QSettings::NoError)
        qCWarning(lcAppSettings) << "could not save the setting" << name << "to" << m_settings->fileName();
}

} // namespace tf
